using Backprop.Cluster.Settings;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Worker;

/// <summary>The messages a worker receives from the coordinator and the parameter server.</summary>
public static class WorkerProtocol
{
    /// <summary>The job to join: everything the worker needs besides its own copy of the data.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="ConfigText">The resolved configuration (HOCON), the same the coordinator runs.</param>
    /// <param name="LaneHost">Where the tensor lane listens; empty when tensors travel over Akka.Remote.</param>
    /// <param name="LanePort">The tensor lane's port; 0 when tensors travel over Akka.Remote.</param>
    /// <param name="Exchange">How gradients and weights are exchanged in this job (null: the defaults).</param>
    /// <param name="ShardLanes">
    /// With a parameter server sharded over the lane: the lanes of shards 1 to K − 1, as
    /// <c>host:port</c> separated by commas, in shard order (shard 0's is <paramref name="LaneHost"/>);
    /// empty otherwise.
    /// </param>
    public sealed record JobOffer(string JobId, string ConfigText, string LaneHost = "", int LanePort = 0, ExchangeSettings? Exchange = null, string ShardLanes = "") : IWireMessage;

    /// <summary>The coordinator will not use this worker.</summary>
    /// <param name="Reason">Why, e.g. a different wire version or data.</param>
    public sealed record Refused(string Reason) : IWireMessage;

    /// <summary>The job is over; the worker leaves the cluster and its process exits 0.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Completed">False when the coordinator stopped before the end (interrupted, failed).</param>
    public sealed record JobFinished(string JobId, bool Completed) : IWireMessage;
}
