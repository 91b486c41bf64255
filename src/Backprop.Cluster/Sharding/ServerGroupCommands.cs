using Akka.Actor;

namespace Backprop.Cluster.Sharding;

/// <summary>The local messages between the coordinator and its <see cref="ServerGroupActor"/> (same node, never serialised).</summary>
public static class ServerGroupCommands
{
    /// <summary>The job is over: the server nodes are let go.</summary>
    /// <param name="Completed">Whether it completed (the server nodes exit 0) or ended early.</param>
    public sealed record JobOver(bool Completed) : INoSerializationVerificationNeeded;

    /// <summary>A server node holding a shard vanished mid-job: the job cannot go on.</summary>
    /// <param name="Reason">What happened and what to do, for the job's failure.</param>
    public sealed record ShardLost(string Reason) : INoSerializationVerificationNeeded;

    /// <summary>Every shard is built: workers may be offered the job (with the server nodes' lanes).</summary>
    /// <param name="ShardLanes">On the lane, shards 1 to K − 1's lanes as <c>host:port</c>, comma-separated; empty over Akka.Remote.</param>
    public sealed record ShardsReady(string ShardLanes) : INoSerializationVerificationNeeded;

    /// <summary>A worker's lane to a server node's shard came up or went down: a worker is in the steps only with every lane up.</summary>
    /// <param name="WorkerId">The worker.</param>
    /// <param name="Shard">The shard.</param>
    /// <param name="Connected">Up or lost.</param>
    /// <param name="Reason">Why it was lost.</param>
    public sealed record ShardLane(string WorkerId, int Shard, bool Connected, string Reason) : INoSerializationVerificationNeeded;

    /// <summary>Tensor bytes a server node's shard moved since its previous snapshot, for the summary's traffic.</summary>
    /// <param name="Traffic">Weights sent and gradients received.</param>
    public sealed record ShardTraffic(ParameterServer.WireTraffic Traffic) : INoSerializationVerificationNeeded;
}
