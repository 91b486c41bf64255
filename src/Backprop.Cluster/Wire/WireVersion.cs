namespace Backprop.Cluster.Wire;

/// <summary>The version of the wire protocol; a worker with another is refused at registration.</summary>
public static class WireVersion
{
    /// <summary>
    /// Bumped whenever a message contract changes incompatibly. 4: a tensor slice may travel as bf16, fp16
    /// or sparse, which a build of version 3 cannot read (a float32 slice is written as before). 5: the job
    /// offer carries the exchange's <c>servers</c>, and the sharded parameter server's messages exist.
    /// </summary>
    public const int Current = 5;
}
