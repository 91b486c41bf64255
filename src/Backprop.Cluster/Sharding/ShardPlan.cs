using Backprop.Cluster.Exchange;

namespace Backprop.Cluster.Sharding;

/// <summary>
/// How the flat parameter buffer is cut across K parameter-server shards: K contiguous ranges of
/// (nearly) equal length, the same on the coordinator, every server node and every worker, all of
/// which derive it from the length and K alone.
/// </summary>
public sealed class ShardPlan
{
    private readonly int[] _starts;

    /// <summary>A plan of <paramref name="shards"/> ranges over <paramref name="length"/> floats.</summary>
    /// <param name="length">Floats in the flat buffer.</param>
    /// <param name="shards">K, at least 1 and at most <paramref name="length"/>.</param>
    public ShardPlan(int length, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, shards);
        Length = length;
        _starts = [.. Enumerable.Range(0, shards + 1).Select(s => (int)((long)length * s / shards))];
    }

    /// <summary>Floats in the flat buffer.</summary>
    public int Length { get; }

    /// <summary>K.</summary>
    public int Shards => _starts.Length - 1;

    /// <summary>Where the shards meet: the starts of shards 1 to K − 1.</summary>
    public IReadOnlyList<int> Boundaries => _starts[1..^1];

    /// <summary>Shard <paramref name="shard"/>'s range.</summary>
    /// <param name="shard">0 to K − 1.</param>
    public (int Offset, int Count) Range(int shard) => (_starts[shard], _starts[shard + 1] - _starts[shard]);

    /// <summary>The shard that holds element <paramref name="offset"/>.</summary>
    /// <param name="offset">0 to <see cref="Length"/> − 1.</param>
    public int ShardOf(int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, Length);
        int index = Array.BinarySearch(_starts, offset);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>The job's buckets cut at the shards' edges, so that each lies in one shard.</summary>
    /// <param name="buckets">The buckets of the job's bucket-bytes.</param>
    public GradientBuckets Cut(GradientBuckets buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return buckets.CutAt(Boundaries);
    }
}
