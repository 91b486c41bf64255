using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// BLAS level-1 operations on float vectors. Reductions (<see cref="Dot"/>, <see cref="SumOfSquares"/>,
/// <see cref="Sum"/>) sum in float within blocks of 1024 elements and in double across blocks, so their relative
/// error stays a few float ulps even over millions of elements (a global gradient norm over a whole model).
/// </summary>
public static class Blas1
{
    /// <summary>y[i] += alpha·x[i].</summary>
    /// <param name="alpha">Scale of <paramref name="x"/>.</param>
    /// <param name="x">Input, the length of <paramref name="y"/>.</param>
    /// <param name="y">Accumulated in place; may be exactly <paramref name="x"/> (then y = (1 + alpha)·y).</param>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        SpanChecks.SameLength(y.Length, nameof(y), x.Length, nameof(x));
        SpanChecks.NoPartialOverlap(x, nameof(x), y, nameof(y));
        TensorPrimitives.MultiplyAdd(x, alpha, y, y);
    }

    /// <summary>destination[i] = alpha·x[i].</summary>
    /// <param name="x">Input.</param>
    /// <param name="alpha">The factor.</param>
    /// <param name="destination">Output, the length of <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> destination)
    {
        SpanChecks.SameLength(x.Length, nameof(x), destination.Length, nameof(destination));
        SpanChecks.NoPartialOverlap(x, nameof(x), destination, nameof(destination));
        TensorPrimitives.Multiply(x, alpha, destination);
    }

    /// <summary>x[i] *= alpha.</summary>
    /// <param name="x">Scaled in place.</param>
    /// <param name="alpha">The factor.</param>
    public static void ScaleInPlace(Span<float> x, float alpha) => TensorPrimitives.Multiply(x, alpha, x);

    /// <summary>destination[i] = x[i].</summary>
    /// <param name="x">Input.</param>
    /// <param name="destination">Output, the length of <paramref name="x"/>; exactly <paramref name="x"/> (a no-op) or not overlapping it.</param>
    public static void Copy(ReadOnlySpan<float> x, Span<float> destination)
    {
        SpanChecks.SameLength(x.Length, nameof(x), destination.Length, nameof(destination));
        SpanChecks.NoPartialOverlap(x, nameof(x), destination, nameof(destination));
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(destination)))
        {
            x.CopyTo(destination);
        }
    }

    /// <summary>Σ x[i]·y[i], accumulated as described on <see cref="Blas1"/>.</summary>
    /// <param name="x">First vector.</param>
    /// <param name="y">Second vector, the length of <paramref name="x"/> (may be the same span).</param>
    /// <returns>The dot product; 0 for empty vectors.</returns>
    public static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        SpanChecks.SameLength(x.Length, nameof(x), y.Length, nameof(y));
        return VectorLoops.BinaryAccumulate(x, y, [], default(ReductionOperators.ProductTerm));
    }

    /// <summary>Σ x[i]², accumulated as described on <see cref="Blas1"/>; the squared L2 norm for gradient clipping.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The sum of squares; 0 for an empty vector.</returns>
    public static double SumOfSquares(ReadOnlySpan<float> x) =>
        VectorLoops.UnaryAccumulate(x, [], default(ReductionOperators.SquareTerm));

    /// <summary>Σ x[i], accumulated as described on <see cref="Blas1"/>.</summary>
    /// <param name="x">The vector.</param>
    /// <returns>The sum; 0 for an empty vector.</returns>
    public static double Sum(ReadOnlySpan<float> x) =>
        VectorLoops.UnaryAccumulate(x, [], default(ReductionOperators.ValueTerm));
}
