using System.Numerics.Tensors;
using Backprop.Numerics.Elementwise;

namespace Backprop.Numerics.Reductions;

/// <summary>Sums along the rows or the columns of a <c>rows × cols</c> row-major matrix.</summary>
public static class MatrixReductions
{
    /// <summary>
    /// sums[j] (+)= Σ_r x[r, j]: the bias gradient of a dense layer from dy (one row per sample). Rows are added in
    /// order, in float, so the result does not depend on anything but the input.
    /// </summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns, the length of <paramref name="sums"/>.</param>
    /// <param name="x">The matrix, rows × cols.</param>
    /// <param name="accumulate">Add to <paramref name="sums"/> when true; overwrite it when false.</param>
    /// <param name="sums">Column sums, length cols; must not overlap <paramref name="x"/>.</param>
    public static void ColumnSums(int rows, int cols, ReadOnlySpan<float> x, bool accumulate, Span<float> sums)
    {
        SpanChecks.Dimensions(rows, nameof(rows), cols, nameof(cols));
        SpanChecks.MatrixLength(rows, cols, x.Length, nameof(x));
        SpanChecks.SameLength(cols, nameof(cols), sums.Length, nameof(sums));
        SpanChecks.NoOverlap(x, nameof(x), sums, nameof(sums));

        if (!accumulate)
        {
            sums.Clear();
        }

        for (int r = 0; r < rows && cols > 0; r++)
        {
            TensorPrimitives.Add(sums, x.Slice(r * cols, cols), sums);
        }
    }

    /// <summary>
    /// sums[r] (+)= Σ_j x[r, j], each row summed as <see cref="Blas1.Sum"/> (double across blocks) and rounded once.
    /// </summary>
    /// <param name="rows">Number of rows, the length of <paramref name="sums"/>.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="x">The matrix, rows × cols.</param>
    /// <param name="accumulate">Add to <paramref name="sums"/> when true; overwrite it when false.</param>
    /// <param name="sums">Row sums, length rows; must not overlap <paramref name="x"/>.</param>
    public static void RowSums(int rows, int cols, ReadOnlySpan<float> x, bool accumulate, Span<float> sums)
    {
        SpanChecks.Dimensions(rows, nameof(rows), cols, nameof(cols));
        SpanChecks.MatrixLength(rows, cols, x.Length, nameof(x));
        SpanChecks.SameLength(rows, nameof(rows), sums.Length, nameof(sums));
        SpanChecks.NoOverlap(x, nameof(x), sums, nameof(sums));

        for (int r = 0; r < rows; r++)
        {
            double sum = Blas1.Sum(x.Slice(r * cols, cols));
            sums[r] = accumulate ? (float)(sums[r] + sum) : (float)sum;
        }
    }
}
