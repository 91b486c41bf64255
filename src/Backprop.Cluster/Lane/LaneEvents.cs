using Akka.Actor;

namespace Backprop.Cluster.Lane;

/// <summary>What the lane tells the coordinator and the worker (local messages).</summary>
public static class LaneEvents
{
    /// <summary>A worker's lane is up; <paramref name="Proxy"/> stands for the worker on this node.</summary>
    /// <param name="WorkerId">The worker.</param>
    /// <param name="Proxy">Told messages go down the lane to it.</param>
    public sealed record Connected(string WorkerId, IActorRef Proxy) : INoSerializationVerificationNeeded;

    /// <summary>A lane connection ended; the peer is treated as lost for the step in flight.</summary>
    /// <param name="WorkerId">The worker (empty on the worker's side).</param>
    /// <param name="Reason">Why, in plain words.</param>
    /// <param name="Endpoint">On the worker's side, the lane's <c>host:port</c>: a worker of a sharded server has one lane per shard.</param>
    public sealed record Lost(string WorkerId, string Reason, string Endpoint = "") : INoSerializationVerificationNeeded;
}
