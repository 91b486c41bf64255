using System.Buffers;
using System.Runtime.InteropServices;

namespace Backprop.Numerics.Selection;

/// <summary>
/// Finds the k values of largest magnitude in a vector without sorting it, then writes their
/// positions in increasing order with one vector scan. The k-th largest magnitude is found exactly by a
/// radix select on the magnitude bits, over as few values as possible: from 65,536 values on, an evenly
/// spaced sample of 4,096 gives a bound safely below it, one vector scan gathers the values at or above
/// the bound (a few more than k) and the radix select runs on those alone; when the sample misleads
/// (fewer than k gathered, or far more: many equal magnitudes) and below 65,536 values, a histogram of
/// the top 11 bits over every value picks the bin that holds the k-th, one scan gathers that bin, and
/// the two lower digits are resolved on it. Two or three passes over the data, whatever k is.
/// </summary>
/// <remarks>
/// Magnitudes are compared as the float's bits without the sign, which orders them exactly as |x|
/// for every non-NaN float (±0 equal, subnormals, infinities); a NaN compares above every number,
/// so a diverged value is always among those picked rather than silently kept back. Equal
/// magnitudes are taken lowest position first, so the choice is deterministic.
/// </remarks>
public static class MagnitudeSelection
{
    // The 31 magnitude bits as three digits: bits 30..20 (11), 19..10 (10) and 9..0 (10).
    private const int TopShift = 20;
    private const int LowBits = 10;
    private const uint LowMask = (1u << LowBits) - 1;
    private const int TopBins = 1 << 11;
    private const uint KeyLimit = 1u << 31;

    // Sampling pays from here on: below, a full histogram costs about what the sample does.
    private const int SampledFrom = 1 << 16;
    private const int SampleSize = 4_096;

    /// <summary>
    /// Writes to <paramref name="indices"/> the positions of the <c>indices.Length</c> values of
    /// <paramref name="values"/> with the largest magnitude, in increasing order.
    /// </summary>
    /// <param name="values">The vector; n values.</param>
    /// <param name="indices">k ≤ n positions out; k is its length.</param>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is longer than <paramref name="values"/>.</exception>
    public static void Largest(ReadOnlySpan<float> values, Span<int> indices)
    {
        int k = indices.Length;
        if (k > values.Length)
        {
            throw new ArgumentException($"indices asks for {k} positions but values holds only {values.Length}.", nameof(indices));
        }

        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
        if (k == bits.Length)
        {
            for (int i = 0; i < k; i++)
            {
                indices[i] = i;
            }

            return;
        }

        if (k == 0)
        {
            return;
        }

        var (threshold, ties) = (bits.Length >= SampledFrom ? Sampled(bits, k) : null) ?? Exact(bits, k);
        KeyScans.EmitAtLeast(bits, threshold, ties, indices);
    }

    // The k-th largest key, and how many values with exactly that key are taken (the rest are above it):
    // the top digit's histogram over every value, then the lower digits over that digit's bin alone.
    private static (uint Threshold, int Ties) Exact(ReadOnlySpan<uint> bits, int k)
    {
        Span<int> histogram = stackalloc int[TopBins];
        KeyScans.Histogram(bits, TopShift, histogram);
        var (top, need) = BinHolding(histogram, k);
        uint[] rented = ArrayPool<uint>.Shared.Rent(histogram[(int)top]);
        try
        {
            int found = KeyScans.GatherRange(bits, top << TopShift, 1u << TopShift, rented.AsSpan(0, histogram[(int)top]));
            return LowerDigits(rented.AsSpan(0, found), top, need);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rented);
        }
    }

    // The same answer from the values at or above a bound read off a sample, or null when the bound
    // does not hold at least k values, or holds so many that the full histogram is the cheaper way.
    private static (uint Threshold, int Ties)? Sampled(ReadOnlySpan<uint> bits, int k)
    {
        Span<uint> sample = stackalloc uint[SampleSize];
        long n = bits.Length;
        for (int j = 0; j < SampleSize; j++)
        {
            sample[j] = bits[(int)(j * n / SampleSize)] & (KeyLimit - 1);
        }

        sample.Sort();

        // Sample values expected at or above the k-th largest, plus four standard deviations and a few:
        // the bound falls below the k-th largest unless the sample is very unlike the whole.
        double expected = (double)k * SampleSize / n;
        int above = (int)Math.Ceiling(expected + (4 * Math.Sqrt(expected)) + 4);
        long capacity = (2L * (above + 1) * n / SampleSize) + 64;
        if (above >= SampleSize || capacity > n / 4)
        {
            return null;
        }

        uint low = sample[SampleSize - 1 - above];
        uint[] rented = ArrayPool<uint>.Shared.Rent((int)capacity);
        try
        {
            int found = KeyScans.GatherRange(bits, low, KeyLimit - low, rented.AsSpan(0, (int)capacity));
            return found < k ? null : Select(rented.AsSpan(0, found), k);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rented);
        }
    }

    // The radix select on a few keys (at least k of them): all three digits over the keys alone.
    private static (uint Threshold, int Ties) Select(Span<uint> keys, int k)
    {
        Span<int> histogram = stackalloc int[TopBins];
        histogram.Clear();
        foreach (uint key in keys)
        {
            histogram[(int)(key >> TopShift)]++;
        }

        var (top, need) = BinHolding(histogram, k);
        int kept = 0;
        foreach (uint key in keys)
        {
            if (key >> TopShift == top)
            {
                keys[kept++] = key;
            }
        }

        return LowerDigits(keys[..kept], top, need);
    }

    // The middle and low digits over the keys that share the top digit `top`, `need` of them wanted.
    private static (uint Threshold, int Ties) LowerDigits(ReadOnlySpan<uint> candidates, uint top, int need)
    {
        Span<int> histogram = stackalloc int[1 << LowBits];
        histogram.Clear();
        foreach (uint key in candidates)
        {
            histogram[(int)((key >> LowBits) & LowMask)]++;
        }

        (uint middle, need) = BinHolding(histogram, need);
        histogram.Clear();
        uint prefix = (top << LowBits) | middle;
        foreach (uint key in candidates)
        {
            if (key >> LowBits == prefix)
            {
                histogram[(int)(key & LowMask)]++;
            }
        }

        (uint low, need) = BinHolding(histogram, need);
        return ((prefix << LowBits) | low, need);
    }

    // Walking down from the highest bin: the bin where the count reaches `need`, and how many of it are needed.
    private static (uint Bin, int Need) BinHolding(ReadOnlySpan<int> histogram, int need)
    {
        for (int bin = histogram.Length - 1; bin > 0; bin--)
        {
            if (histogram[bin] >= need)
            {
                return ((uint)bin, need);
            }

            need -= histogram[bin];
        }

        return (0, need);
    }
}
