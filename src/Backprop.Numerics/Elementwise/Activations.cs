using System.Numerics.Tensors;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// Element-wise activation functions and their backward passes over spans of equal length.
/// Every output may be exactly one of the inputs (in place); a partial overlap throws <see cref="ArgumentException"/>.
/// Backward kernels take the saved forward value they need (y for sigmoid, tanh and ReLU, x for leaky ReLU and GELU)
/// and <c>dy</c>, and write <c>dx</c> (they overwrite, they do not accumulate).
/// </summary>
public static class Activations
{
    /// <summary>y = 1 / (1 + e^−x).</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        if (CheckUnary(x, y))
        {
            TensorPrimitives.Sigmoid(x, y);
        }
    }

    /// <summary>dx = dy·y·(1 − y), the derivative of <see cref="Sigmoid"/> expressed through its output.</summary>
    /// <param name="y">The forward output σ(x).</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="dx">Gradient with respect to x; may be <paramref name="dy"/> or <paramref name="y"/> itself.</param>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBinary(y, nameof(y), dy, dx);
        VectorLoops.Binary(y, dy, dx, default(ActivationOperators.SigmoidBackward));
    }

    /// <summary>y = tanh(x).</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        if (CheckUnary(x, y))
        {
            TensorPrimitives.Tanh(x, y);
        }
    }

    /// <summary>dx = dy·(1 − y²), the derivative of <see cref="Tanh"/> expressed through its output.</summary>
    /// <param name="y">The forward output tanh(x).</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="dx">Gradient with respect to x; may be <paramref name="dy"/> or <paramref name="y"/> itself.</param>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBinary(y, nameof(y), dy, dx);
        VectorLoops.Binary(y, dy, dx, default(ActivationOperators.TanhBackward));
    }

    /// <summary>y = max(x, 0).</summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        if (CheckUnary(x, y))
        {
            TensorPrimitives.Max(x, 0f, y);
        }
    }

    /// <summary>dx = dy where y &gt; 0, else 0 (the derivative at 0 is taken as 0, as PyTorch does).</summary>
    /// <param name="y">The forward output max(x, 0); y &gt; 0 exactly where x &gt; 0.</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="dx">Gradient with respect to x; may be <paramref name="dy"/> or <paramref name="y"/> itself.</param>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBinary(y, nameof(y), dy, dx);
        VectorLoops.Binary(y, dy, dx, default(ActivationOperators.ReluBackward));
    }

    /// <summary>y = x for x &gt; 0, slope·x otherwise.</summary>
    /// <param name="x">Input.</param>
    /// <param name="slope">Slope on the negative side (PyTorch's <c>negative_slope</c>, 0.01 by default there).</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    public static void LeakyRelu(ReadOnlySpan<float> x, float slope, Span<float> y)
    {
        _ = CheckUnary(x, y);
        VectorLoops.Unary(x, y, new ActivationOperators.LeakyRelu(slope));
    }

    /// <summary>dx = dy where x &gt; 0, slope·dy otherwise.</summary>
    /// <param name="x">The forward input (its sign decides; y's sign would be wrong for a negative slope).</param>
    /// <param name="slope">The slope the forward pass used.</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="dx">Gradient with respect to x; may be <paramref name="dy"/> or <paramref name="x"/> itself.</param>
    public static void LeakyReluBackward(ReadOnlySpan<float> x, float slope, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBinary(x, nameof(x), dy, dx);
        VectorLoops.Binary(x, dy, dx, new ActivationOperators.LeakyReluBackward(slope));
    }

    /// <summary>
    /// GELU, tanh approximation (PyTorch <c>gelu(approximate='tanh')</c>):
    /// y = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), evaluated as x / (1 + e^(−2u)) so that large |x| saturate to
    /// x or 0 instead of overflowing.
    /// </summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        _ = CheckUnary(x, y);
        VectorLoops.Unary(x, y, default(ActivationOperators.Gelu));
    }

    /// <summary>
    /// dx = dy·GELU'(x), the exact derivative of the tanh approximation: with u = √(2/π)·(x + 0.044715·x³) and
    /// s = σ(2u) = 0.5·(1 + tanh u), GELU'(x) = s + x·s·(1 − s)·2·√(2/π)·(1 + 3·0.044715·x²).
    /// </summary>
    /// <param name="x">The forward input.</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="dx">Gradient with respect to x; may be <paramref name="dy"/> or <paramref name="x"/> itself.</param>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBinary(x, nameof(x), dy, dx);
        VectorLoops.Binary(x, dy, dx, default(ActivationOperators.GeluBackward));
    }

    /// <summary>
    /// GELU, exact (PyTorch's default <c>gelu</c>): y = x·Φ(x) = 0.5·x·(1 + erf(x/√2)), Φ the standard normal CDF,
    /// evaluated through erfc so that the negative tail keeps its relative accuracy (see NormalDistribution).
    /// </summary>
    /// <param name="x">Input.</param>
    /// <param name="y">Output, same length as <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    public static void GeluErf(ReadOnlySpan<float> x, Span<float> y)
    {
        _ = CheckUnary(x, y);
        VectorLoops.Unary(x, y, default(ActivationOperators.GeluErf));
    }

    /// <summary>dx = dy·GELU'(x) for exact GELU: GELU'(x) = Φ(x) + x·φ(x), φ the standard normal density.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="dy">Gradient with respect to y.</param>
    /// <param name="dx">Gradient with respect to x; may be <paramref name="dy"/> or <paramref name="x"/> itself.</param>
    public static void GeluErfBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckBinary(x, nameof(x), dy, dx);
        VectorLoops.Binary(x, dy, dx, default(ActivationOperators.GeluErfBackward));
    }

    /// <returns>Whether there is anything to compute (TensorPrimitives.Sigmoid rejects empty spans).</returns>
    private static bool CheckUnary(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        SpanChecks.SameLength(x.Length, nameof(x), y.Length, nameof(y));
        SpanChecks.NoPartialOverlap(x, nameof(x), y, nameof(y));
        return !x.IsEmpty;
    }

    private static void CheckBinary(ReadOnlySpan<float> saved, string savedName, ReadOnlySpan<float> dy, ReadOnlySpan<float> dx)
    {
        SpanChecks.SameLength(dy.Length, nameof(dy), saved.Length, savedName);
        SpanChecks.SameLength(dy.Length, nameof(dy), dx.Length, nameof(dx));
        SpanChecks.NoPartialOverlap(saved, savedName, dx, nameof(dx));
        SpanChecks.NoPartialOverlap(dy, nameof(dy), dx, nameof(dx));
    }
}
