using System.Numerics.Tensors;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// Broadcasts a bias row over a <c>rows × cols</c> row-major matrix (one row per sample, one column per unit).
/// The bias gradient, the column sums of dy, is <see cref="Reductions.MatrixReductions.ColumnSums"/>.
/// </summary>
public static class BiasOps
{
    /// <summary>y[r, j] = x[r, j] + bias[j].</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns, the length of <paramref name="bias"/>.</param>
    /// <param name="x">Input, rows × cols.</param>
    /// <param name="bias">Bias row, length cols; must not overlap <paramref name="y"/>.</param>
    /// <param name="y">Output, rows × cols; may be <paramref name="x"/> itself.</param>
    public static void AddBias(int rows, int cols, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        SpanChecks.Dimensions(rows, nameof(rows), cols, nameof(cols));
        SpanChecks.MatrixLength(rows, cols, x.Length, nameof(x));
        SpanChecks.SameLength(cols, nameof(cols), bias.Length, nameof(bias));
        SpanChecks.MatrixLength(rows, cols, y.Length, nameof(y));
        SpanChecks.NoPartialOverlap(x, nameof(x), y, nameof(y));
        SpanChecks.NoOverlap(bias, nameof(bias), y, nameof(y));
        AddBiasRows(rows, cols, x, bias, y);
    }

    /// <summary>matrix[r, j] += bias[j].</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns, the length of <paramref name="bias"/>.</param>
    /// <param name="bias">Bias row, length cols; must not overlap <paramref name="matrix"/>.</param>
    /// <param name="matrix">The matrix, rows × cols, updated in place.</param>
    public static void AddBiasInPlace(int rows, int cols, ReadOnlySpan<float> bias, Span<float> matrix)
    {
        SpanChecks.Dimensions(rows, nameof(rows), cols, nameof(cols));
        SpanChecks.SameLength(cols, nameof(cols), bias.Length, nameof(bias));
        SpanChecks.MatrixLength(rows, cols, matrix.Length, nameof(matrix));
        SpanChecks.NoOverlap(bias, nameof(bias), matrix, nameof(matrix));
        AddBiasRows(rows, cols, matrix, bias, matrix);
    }

    private static void AddBiasRows(int rows, int cols, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y)
    {
        for (int r = 0; r < rows && cols > 0; r++)
        {
            TensorPrimitives.Add(x.Slice(r * cols, cols), bias, y.Slice(r * cols, cols));
        }
    }
}
