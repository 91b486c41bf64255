namespace Backprop.Cluster.Wire;

/// <summary>The version of the wire protocol; a worker with another is refused at registration.</summary>
public static class WireVersion
{
    /// <summary>
    /// Bumped whenever a message contract changes incompatibly. 4: a tensor slice may travel as bf16, fp16
    /// or sparse, which a build of version 3 cannot read (a float32 slice is written as before). 5: the job
    /// offer carries the exchange's <c>servers</c>, and the sharded parameter server's messages exist. 6: the shards of a sharded server open
    /// each step for the workers shard 0 fixed for it (<c>ShardStepWorkers</c>); a server node of version 5
    /// would open steps on its own and fall out of step with the coordinator's shard.
    /// </summary>
    public const int Current = 6;
}
