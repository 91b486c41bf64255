using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Conversion;

/// <summary>
/// The vector loops of the bfloat16 conversions; arguments are validated by <see cref="HalfPrecision"/>.
/// As in the element-wise loops, each narrower width doubles as the tail of the wider one, so at most
/// seven elements take the scalar path, and the unaccelerated widths compile away.
/// </summary>
internal static class BFloat16Kernels
{
    /// <summary>destination[i] = bf16(source[i]), ties to even, NaN kept NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FromSingle(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        Debug.Assert(source.Length == destination.Length, "validated by the caller");
        ref uint s = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(source));
        ref ushort d = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)source.Length;
        nuint i = 0;

        // Two float vectors narrow into one vector of halves.
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 32 <= n; i += 32)
            {
                Vector512.Narrow(Round(Vector512.LoadUnsafe(ref s, i)), Round(Vector512.LoadUnsafe(ref s, i + 16))).StoreUnsafe(ref d, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                Vector256.Narrow(Round(Vector256.LoadUnsafe(ref s, i)), Round(Vector256.LoadUnsafe(ref s, i + 8))).StoreUnsafe(ref d, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                Vector128.Narrow(Round(Vector128.LoadUnsafe(ref s, i)), Round(Vector128.LoadUnsafe(ref s, i + 4))).StoreUnsafe(ref d, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = BFloat16Bits.FromSingle(BitConverter.UInt32BitsToSingle(Unsafe.Add(ref s, i)));
        }
    }

    /// <summary>destination[i] = the float32 of bf16 source[i] (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        Debug.Assert(source.Length == destination.Length, "validated by the caller");
        ref ushort s = ref MemoryMarshal.GetReference(source);
        ref uint d = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination));
        nuint n = (nuint)source.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 32 <= n; i += 32)
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref s, i));
                (lower << 16).StoreUnsafe(ref d, i);
                (upper << 16).StoreUnsafe(ref d, i + 16);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref s, i));
                (lower << 16).StoreUnsafe(ref d, i);
                (upper << 16).StoreUnsafe(ref d, i + 8);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref s, i));
                (lower << 16).StoreUnsafe(ref d, i);
                (upper << 16).StoreUnsafe(ref d, i + 4);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = (uint)Unsafe.Add(ref s, i) << 16;
        }
    }

    // The rule of BFloat16Bits.FromSingle on the float bits in each lane, the result in the low half.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Round(Vector512<uint> bits)
    {
        var rounded = (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512<uint>.One)) >> 16;
        var nan = ~Vector512.Equals(bits.AsSingle(), bits.AsSingle()).AsUInt32();
        return Vector512.ConditionalSelect(nan, (bits >> 16) | Vector512.Create(BFloat16Bits.QuietNaN), rounded);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Round(Vector256<uint> bits)
    {
        var rounded = (bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256<uint>.One)) >> 16;
        var nan = ~Vector256.Equals(bits.AsSingle(), bits.AsSingle()).AsUInt32();
        return Vector256.ConditionalSelect(nan, (bits >> 16) | Vector256.Create(BFloat16Bits.QuietNaN), rounded);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Round(Vector128<uint> bits)
    {
        var rounded = (bits + Vector128.Create(0x7FFFu) + ((bits >> 16) & Vector128<uint>.One)) >> 16;
        var nan = ~Vector128.Equals(bits.AsSingle(), bits.AsSingle()).AsUInt32();
        return Vector128.ConditionalSelect(nan, (bits >> 16) | Vector128.Create(BFloat16Bits.QuietNaN), rounded);
    }
}
