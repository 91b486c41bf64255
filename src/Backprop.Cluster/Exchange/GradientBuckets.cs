using Backprop.Nn.Parameters;

namespace Backprop.Cluster.Exchange;

/// <summary>
/// How the flat gradient is cut into buckets, the same on every worker and the server (both derive it
/// from the layout and <c>bucket-bytes</c>). The layout keeps every layer's weights first and the
/// biases after them, so the buckets are runs of whole layers' weights from the last layer down,
/// each at least the bucket size, then one bucket of all the biases (a few kilobytes, final only when
/// the backward pass is done). Buckets are listed in the order a worker can send them.
/// </summary>
public sealed class GradientBuckets
{
    private readonly (GradientBucket Bucket, int SendIndex)[] _byOffset;

    private GradientBuckets(GradientBucket[] inSendOrder)
    {
        InSendOrder = inSendOrder;
        _byOffset = [.. inSendOrder.Select((b, i) => (b, i)).OrderBy(e => e.b.Offset)];
    }

    /// <summary>The buckets, in the order the backward pass finishes them.</summary>
    public IReadOnlyList<GradientBucket> InSendOrder { get; }

    /// <summary>The end of the last bucket: floats in the whole gradient, unless these are one shard's buckets.</summary>
    public int Length => _byOffset[^1].Bucket.End;

    /// <summary>Floats in all the buckets together.</summary>
    public int Covered => InSendOrder.Sum(b => b.Count);

    /// <summary>Whether the gradient is cut at all (more than one bucket).</summary>
    public bool Bucketed => InSendOrder.Count > 1;

    /// <summary>The whole gradient as one bucket, sent when the backward pass is done.</summary>
    /// <param name="length">Floats in the gradient.</param>
    public static GradientBuckets Whole(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return new GradientBuckets([new GradientBucket(0, length, 0)]);
    }

    /// <summary>The buckets of <paramref name="layout"/> for <paramref name="bucketBytes"/> (0: one bucket).</summary>
    /// <param name="layout">The model's parameter layout.</param>
    /// <param name="bucketBytes">The smallest bucket, in bytes of float32; 0 for no buckets.</param>
    public static GradientBuckets Plan(ParameterLayout layout, int bucketBytes)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegative(bucketBytes);
        if (bucketBytes == 0)
        {
            return Whole(layout.Length);
        }

        long bucketFloats = Math.Max(1, bucketBytes / sizeof(float));
        var buckets = new List<GradientBucket>();
        int top = layout.LayerCount - 1;
        for (int layer = top; layer >= 0; layer--)
        {
            int end = layout.Weight(top).Offset + layout.Weight(top).Length;
            int start = layout.Weight(layer).Offset;
            if (end - start >= bucketFloats || layer == 0)
            {
                buckets.Add(new GradientBucket(start, end - start, layer));
                top = layer - 1;
            }
        }

        buckets.Add(new GradientBucket(layout.WeightCount, layout.Length - layout.WeightCount, 0));
        return new GradientBuckets([.. buckets]);
    }

    /// <summary>
    /// These buckets with every one that straddles a boundary cut in two there, in the same send order:
    /// a bucket then lies wholly in one shard. The sum and the update of every element stay the same.
    /// </summary>
    /// <param name="boundaries">Offsets to cut at, ascending.</param>
    public GradientBuckets CutAt(IReadOnlyList<int> boundaries)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        var cut = new List<GradientBucket>();
        foreach (var bucket in InSendOrder)
        {
            int start = bucket.Offset;
            foreach (int boundary in boundaries.Where(b => b > bucket.Offset && b < bucket.End))
            {
                cut.Add(bucket with { Offset = start, Count = boundary - start });
                start = boundary;
            }

            cut.Add(bucket with { Offset = start, Count = bucket.End - start });
        }

        return new GradientBuckets([.. cut]);
    }

    /// <summary>The buckets that lie in [offset, offset + count), in send order: one shard's share.</summary>
    /// <param name="offset">The range's first element.</param>
    /// <param name="count">Elements in the range.</param>
    /// <exception cref="ArgumentException">A bucket straddles the range's edge, or none lies in it.</exception>
    public GradientBuckets Within(int offset, int count)
    {
        long end = (long)offset + count;
        if (InSendOrder.Any(b => b.Offset < end && b.End > offset && (b.Offset < offset || b.End > end)))
        {
            throw new ArgumentException($"A bucket straddles an edge of [{offset}, {end}): cut the buckets at the shards' edges first.", nameof(offset));
        }

        GradientBucket[] inside = [.. InSendOrder.Where(b => b.Offset >= offset && b.End <= end)];
        return inside.Length > 0 ? new GradientBuckets(inside) : throw new ArgumentException($"No bucket lies in [{offset}, {end}).", nameof(offset));
    }

    /// <summary>The index in <see cref="InSendOrder"/> of the bucket that holds all of [offset, offset + count), or -1.</summary>
    /// <param name="offset">First element.</param>
    /// <param name="count">Elements, at least 1.</param>
    public int IndexOf(int offset, int count)
    {
        int lo = 0, hi = _byOffset.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var (b, sendIndex) = _byOffset[mid];
            if (offset < b.Offset)
            {
                hi = mid - 1;
            }
            else if (offset >= b.End)
            {
                lo = mid + 1;
            }
            else
            {
                return (long)offset + count <= b.End ? sendIndex : -1;
            }
        }

        return -1;
    }
}
