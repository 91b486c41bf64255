using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Backprop.Numerics.Elementwise;

namespace Backprop.Numerics.Conversion;

/// <summary>
/// float32 to and from the two 16-bit formats that halve a tensor on the wire. bfloat16 keeps
/// float32's exponent (same range, 8 significant bits); IEEE half (fp16) keeps 11 significant bits
/// but its range ends at 65504 (larger magnitudes become infinity) and below 6.1e-5 it is subnormal.
/// Both round to nearest, ties to even, and keep NaN a NaN, ±0 and ±infinity as they are.
/// </summary>
/// <remarks>
/// fp16 is <see cref="TensorPrimitives.ConvertToHalf"/> and <see cref="TensorPrimitives.ConvertToSingle(ReadOnlySpan{Half}, Span{float})"/>,
/// vectorised with integer operations (.NET 10 exposes no F16C instructions): measured
/// (tests/Backprop.Benchmarks, ConversionBenchmarks, AVX-512) at 25–27 GB/s, 9–10× the scalar cast,
/// and within 1.6× of a plain copy on a whole model's 3.7M values, so a kernel of our own would save
/// under half a millisecond a message. .NET 10 has no bfloat16 type or conversion, hence our own kernel:
/// a few integer operations a value, 40 GB/s on a whole model and 126 GB/s in cache.
/// </remarks>
public static class HalfPrecision
{
    /// <summary>destination[i] = bfloat16 bits of source[i], rounded as <see cref="BFloat16Bits.FromSingle"/>.</summary>
    /// <param name="source">The float32 values.</param>
    /// <param name="destination">The bfloat16 bits, the length of <paramref name="source"/>, not overlapping it.</param>
    public static void ToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        Check(source, nameof(source), destination, nameof(destination));
        BFloat16Kernels.FromSingle(source, destination);
    }

    /// <summary>destination[i] = the float32 value of bfloat16 bits source[i] (exact).</summary>
    /// <param name="source">The bfloat16 bits.</param>
    /// <param name="destination">The float32 values, the length of <paramref name="source"/>, not overlapping it.</param>
    public static void FromBFloat16(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        Check(source, nameof(source), destination, nameof(destination));
        BFloat16Kernels.ToSingle(source, destination);
    }

    /// <summary>destination[i] = source[i] rounded to IEEE half; beyond ±65504 (after rounding) it is ±infinity.</summary>
    /// <param name="source">The float32 values.</param>
    /// <param name="destination">The halves, the length of <paramref name="source"/>, not overlapping it.</param>
    public static void ToHalf(ReadOnlySpan<float> source, Span<Half> destination)
    {
        Check(source, nameof(source), destination, nameof(destination));
        TensorPrimitives.ConvertToHalf(source, destination);
    }

    /// <summary>destination[i] = the float32 value of half source[i] (exact).</summary>
    /// <param name="source">The halves.</param>
    /// <param name="destination">The float32 values, the length of <paramref name="source"/>, not overlapping it.</param>
    public static void FromHalf(ReadOnlySpan<Half> source, Span<float> destination)
    {
        Check(source, nameof(source), destination, nameof(destination));
        TensorPrimitives.ConvertToSingle(source, destination);
    }

    private static void Check<TFrom, TTo>(ReadOnlySpan<TFrom> source, string sourceName, ReadOnlySpan<TTo> destination, string destinationName)
        where TFrom : unmanaged
        where TTo : unmanaged
    {
        SpanChecks.SameLength(source.Length, sourceName, destination.Length, destinationName);
        SpanChecks.NoByteOverlap(MemoryMarshal.AsBytes(source), sourceName, MemoryMarshal.AsBytes(destination), destinationName);
    }
}
