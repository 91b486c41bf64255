using System.Numerics.Tensors;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// Row-wise softmax and log-softmax over a <c>rows × cols</c> row-major matrix (each row is one distribution),
/// with their backward passes. Forward passes subtract the row maximum before exponentiating, so any finite logits
/// are safe. Outputs may be exactly an input (in place); a partial overlap throws <see cref="ArgumentException"/>.
/// </summary>
public static class SoftmaxOps
{
    /// <summary>y[r, j] = e^(x[r, j] − m_r) / Σ_k e^(x[r, k] − m_r), with m_r the maximum of row r.</summary>
    /// <param name="rows">Number of rows (independent distributions).</param>
    /// <param name="cols">Number of columns (classes per row).</param>
    /// <param name="x">Logits, rows × cols, row-major.</param>
    /// <param name="y">Probabilities, rows × cols; may be <paramref name="x"/> itself.</param>
    public static void Softmax(int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckForward(rows, cols, x, y);
        for (int r = 0; r < rows && cols > 0; r++)
        {
            var xRow = x.Slice(r * cols, cols);
            var yRow = y.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(xRow);
            double sum = VectorLoops.UnaryAccumulate(xRow, yRow, new ReductionOperators.ExpShift(max));
            TensorPrimitives.Multiply(yRow, (float)(1.0 / sum), yRow);
        }
    }

    /// <summary>dx[r, j] = y[r, j]·(dy[r, j] − Σ_k dy[r, k]·y[r, k]), the backward pass of <see cref="Softmax"/>.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="y">The forward output (probabilities), rows × cols.</param>
    /// <param name="dy">Gradient with respect to y, rows × cols.</param>
    /// <param name="dx">Gradient with respect to the logits (overwritten); may be <paramref name="dy"/> or <paramref name="y"/>.</param>
    public static void SoftmaxBackward(int rows, int cols, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(rows, cols, y, dy, dx);
        for (int r = 0; r < rows && cols > 0; r++)
        {
            var yRow = y.Slice(r * cols, cols);
            var dyRow = dy.Slice(r * cols, cols);
            double dot = VectorLoops.BinaryAccumulate(yRow, dyRow, [], default(ReductionOperators.ProductTerm));
            VectorLoops.Binary(yRow, dyRow, dx.Slice(r * cols, cols), new ReductionOperators.SoftmaxBackward((float)dot));
        }
    }

    /// <summary>y[r, j] = x[r, j] − m_r − log Σ_k e^(x[r, k] − m_r), with m_r the maximum of row r.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="x">Logits, rows × cols, row-major.</param>
    /// <param name="y">Log-probabilities, rows × cols; may be <paramref name="x"/> itself.</param>
    public static void LogSoftmax(int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckForward(rows, cols, x, y);
        for (int r = 0; r < rows && cols > 0; r++)
        {
            var xRow = x.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(xRow);
            double sum = VectorLoops.UnaryAccumulate(xRow, [], new ReductionOperators.ExpShift(max));
            TensorPrimitives.Subtract(xRow, (float)(max + Math.Log(sum)), y.Slice(r * cols, cols));
        }
    }

    /// <summary>
    /// dx[r, j] = dy[r, j] − e^(y[r, j])·Σ_k dy[r, k], the backward pass of <see cref="LogSoftmax"/> (e^y is the softmax).
    /// </summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="y">The forward output (log-probabilities), rows × cols.</param>
    /// <param name="dy">Gradient with respect to y, rows × cols.</param>
    /// <param name="dx">Gradient with respect to the logits (overwritten); may be <paramref name="dy"/> or <paramref name="y"/>.</param>
    public static void LogSoftmaxBackward(int rows, int cols, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBackward(rows, cols, y, dy, dx);
        for (int r = 0; r < rows && cols > 0; r++)
        {
            var dyRow = dy.Slice(r * cols, cols);
            double sum = VectorLoops.UnaryAccumulate(dyRow, [], default(ReductionOperators.ValueTerm));
            VectorLoops.Binary(y.Slice(r * cols, cols), dyRow, dx.Slice(r * cols, cols), new ReductionOperators.LogSoftmaxBackward((float)sum));
        }
    }

    private static void CheckForward(int rows, int cols, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        SpanChecks.Dimensions(rows, nameof(rows), cols, nameof(cols));
        SpanChecks.MatrixLength(rows, cols, x.Length, nameof(x));
        SpanChecks.MatrixLength(rows, cols, y.Length, nameof(y));
        SpanChecks.NoPartialOverlap(x, nameof(x), y, nameof(y));
    }

    private static void CheckBackward(int rows, int cols, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, ReadOnlySpan<float> dx)
    {
        SpanChecks.Dimensions(rows, nameof(rows), cols, nameof(cols));
        SpanChecks.MatrixLength(rows, cols, y.Length, nameof(y));
        SpanChecks.MatrixLength(rows, cols, dy.Length, nameof(dy));
        SpanChecks.MatrixLength(rows, cols, dx.Length, nameof(dx));
        SpanChecks.NoPartialOverlap(y, nameof(y), dx, nameof(dx));
        SpanChecks.NoPartialOverlap(dy, nameof(dy), dx, nameof(dx));
    }
}
