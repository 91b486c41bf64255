using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Selection;

/// <summary>
/// The passes of <see cref="MagnitudeSelection"/> over the whole vector. The histogram is scalar, split
/// four ways so that runs of equal bins (common: a gradient's magnitudes crowd a few exponents) do not
/// chain each increment on the last; the scans look for rare hits (about k of n values), so they
/// compare a vector at a time and drop to scalar code only on the lanes that hit.
/// </summary>
internal static class KeyScans
{
    private const uint MagnitudeMask = 0x7FFF_FFFFu;

    /// <summary>histogram[key &gt;&gt; shift] += 1 for every value; histogram has 2^(31 − shift) bins and is cleared first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Histogram(ReadOnlySpan<uint> bits, int shift, Span<int> histogram)
    {
        int bins = histogram.Length;
        Span<int> split = bins <= 2048 ? stackalloc int[4 * bins] : new int[4 * bins];
        split.Clear();
        ref int h = ref MemoryMarshal.GetReference(split);
        ref uint b = ref MemoryMarshal.GetReference(bits);
        nint n = bits.Length;
        nint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            Unsafe.Add(ref h, (nint)((Unsafe.Add(ref b, i) & MagnitudeMask) >> shift))++;
            Unsafe.Add(ref h, bins + (nint)((Unsafe.Add(ref b, i + 1) & MagnitudeMask) >> shift))++;
            Unsafe.Add(ref h, (2 * bins) + (nint)((Unsafe.Add(ref b, i + 2) & MagnitudeMask) >> shift))++;
            Unsafe.Add(ref h, (3 * bins) + (nint)((Unsafe.Add(ref b, i + 3) & MagnitudeMask) >> shift))++;
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref h, (nint)((Unsafe.Add(ref b, i) & MagnitudeMask) >> shift))++;
        }

        for (int bin = 0; bin < bins; bin++)
        {
            histogram[bin] = split[bin] + split[bins + bin] + split[(2 * bins) + bin] + split[(3 * bins) + bin];
        }
    }

    /// <summary>
    /// Copies, in order, the magnitude key of every value whose key lies in [<paramref name="low"/>,
    /// <paramref name="low"/> + <paramref name="width"/>) into <paramref name="keys"/>; returns how many,
    /// or −1 as soon as there are more than <paramref name="keys"/> holds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int GatherRange(ReadOnlySpan<uint> bits, uint low, uint width, Span<uint> keys)
    {
        // low <= key < low + width in one unsigned compare: key - low wraps to a huge number below low.
        int found = 0;
        ref uint b = ref MemoryMarshal.GetReference(bits);
        nuint n = (nuint)bits.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                var offsets = (Vector512.LoadUnsafe(ref b, i) & Vector512.Create(MagnitudeMask)) - Vector512.Create(low);
                for (ulong hits = Vector512.LessThan(offsets, Vector512.Create(width)).ExtractMostSignificantBits(); hits != 0; hits &= hits - 1)
                {
                    if (found == keys.Length)
                    {
                        return -1;
                    }

                    keys[found++] = low + offsets[BitOperations.TrailingZeroCount(hits)];
                }
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                var offsets = (Vector256.LoadUnsafe(ref b, i) & Vector256.Create(MagnitudeMask)) - Vector256.Create(low);
                for (uint hits = Vector256.LessThan(offsets, Vector256.Create(width)).ExtractMostSignificantBits(); hits != 0; hits &= hits - 1)
                {
                    if (found == keys.Length)
                    {
                        return -1;
                    }

                    keys[found++] = low + offsets[BitOperations.TrailingZeroCount(hits)];
                }
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                var offsets = (Vector128.LoadUnsafe(ref b, i) & Vector128.Create(MagnitudeMask)) - Vector128.Create(low);
                for (uint hits = Vector128.LessThan(offsets, Vector128.Create(width)).ExtractMostSignificantBits(); hits != 0; hits &= hits - 1)
                {
                    if (found == keys.Length)
                    {
                        return -1;
                    }

                    keys[found++] = low + offsets[BitOperations.TrailingZeroCount(hits)];
                }
            }
        }

        for (; i < n; i++)
        {
            uint key = Unsafe.Add(ref b, i) & MagnitudeMask;
            if (key - low < width)
            {
                if (found == keys.Length)
                {
                    return -1;
                }

                keys[found++] = key;
            }
        }

        return found;
    }

    /// <summary>
    /// Writes in increasing order the position of every value whose key is above <paramref name="threshold"/>,
    /// and of the first <paramref name="ties"/> whose key equals it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void EmitAtLeast(ReadOnlySpan<uint> bits, uint threshold, int ties, Span<int> indices)
    {
        int j = 0;
        ref uint b = ref MemoryMarshal.GetReference(bits);
        nuint n = (nuint)bits.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                var keys = Vector512.LoadUnsafe(ref b, i) & Vector512.Create(MagnitudeMask);
                for (ulong hits = Vector512.GreaterThanOrEqual(keys, Vector512.Create(threshold)).ExtractMostSignificantBits(); hits != 0; hits &= hits - 1)
                {
                    int lane = BitOperations.TrailingZeroCount(hits);
                    Take(keys[lane], (int)i + lane, threshold, ref ties, indices, ref j);
                }
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                var keys = Vector256.LoadUnsafe(ref b, i) & Vector256.Create(MagnitudeMask);
                for (uint hits = Vector256.GreaterThanOrEqual(keys, Vector256.Create(threshold)).ExtractMostSignificantBits(); hits != 0; hits &= hits - 1)
                {
                    int lane = BitOperations.TrailingZeroCount(hits);
                    Take(keys[lane], (int)i + lane, threshold, ref ties, indices, ref j);
                }
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                var keys = Vector128.LoadUnsafe(ref b, i) & Vector128.Create(MagnitudeMask);
                for (uint hits = Vector128.GreaterThanOrEqual(keys, Vector128.Create(threshold)).ExtractMostSignificantBits(); hits != 0; hits &= hits - 1)
                {
                    int lane = BitOperations.TrailingZeroCount(hits);
                    Take(keys[lane], (int)i + lane, threshold, ref ties, indices, ref j);
                }
            }
        }

        for (; i < n; i++)
        {
            uint key = Unsafe.Add(ref b, i) & MagnitudeMask;
            if (key >= threshold)
            {
                Take(key, (int)i, threshold, ref ties, indices, ref j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(uint key, int position, uint threshold, ref int ties, Span<int> indices, ref int j)
    {
        if (key > threshold)
        {
            indices[j++] = position;
        }
        else if (ties > 0)
        {
            indices[j++] = position;
            ties--;
        }
    }
}
