namespace Backprop.Cluster.Wire;

/// <summary>
/// Cuts a flat buffer into slices small enough for one Akka frame each: by default 120,000 bytes
/// (30,000 floats), under Akka.Remote's 128,000-byte default frame with room for the envelope.
/// </summary>
/// <remarks>
/// 120,000 bytes is above the GC's default 85,000-byte large-object threshold, so each frame's byte
/// array is a large object unless the threshold is raised (<c>System.GC.LOHThreshold</c>, as the
/// measurements behind the design recommend); pass <c>maxBytes</c> of 84,000 or less to stay under
/// the default instead, at the price of more messages.
/// </remarks>
public static class TensorSlicing
{
    /// <summary>Default payload bytes per slice.</summary>
    public const int DefaultMaxBytes = 120_000;

    /// <summary>Floats in a full slice of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="maxBytes">Payload bytes per slice; at least 4.</param>
    public static int FloatsPerSlice(int maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, sizeof(float));
        return maxBytes / sizeof(float);
    }

    /// <summary>Slices a buffer of <paramref name="totalLength"/> floats is cut into (0 for an empty buffer).</summary>
    /// <param name="totalLength">Floats in the buffer.</param>
    /// <param name="maxBytes">Payload bytes per slice; at least 4.</param>
    public static int SliceCount(int totalLength, int maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        int perSlice = FloatsPerSlice(maxBytes);
        return (int)(((long)totalLength + perSlice - 1) / perSlice);
    }

    /// <summary>The range of slice <paramref name="index"/>: full slices first, the remainder last.</summary>
    /// <param name="totalLength">Floats in the buffer.</param>
    /// <param name="index">0-based slice, below <see cref="SliceCount"/>.</param>
    /// <param name="maxBytes">Payload bytes per slice; at least 4.</param>
    public static (int Offset, int Count) Range(int totalLength, int index, int maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SliceCount(totalLength, maxBytes));
        int perSlice = FloatsPerSlice(maxBytes);
        int offset = index * perSlice;
        return (offset, Math.Min(perSlice, totalLength - offset));
    }

    /// <summary>Every range, in order; together they cover the buffer exactly once.</summary>
    /// <param name="totalLength">Floats in the buffer.</param>
    /// <param name="maxBytes">Payload bytes per slice; at least 4.</param>
    public static IReadOnlyList<(int Offset, int Count)> Ranges(int totalLength, int maxBytes = DefaultMaxBytes)
    {
        var ranges = new (int Offset, int Count)[SliceCount(totalLength, maxBytes)];
        for (int i = 0; i < ranges.Length; i++)
        {
            ranges[i] = Range(totalLength, i, maxBytes);
        }

        return ranges;
    }

    /// <summary>A pooled copy of one range of <paramref name="buffer"/>, ready to send.</summary>
    /// <param name="buffer">The whole flat buffer.</param>
    /// <param name="offset">First element of the range.</param>
    /// <param name="count">Elements in the range.</param>
    public static TensorSlice Cut(ReadOnlySpan<float> buffer, int offset, int count) =>
        TensorSlice.Copy(buffer.Length, offset, buffer.Slice(offset, count));
}
