using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Coordinator;

/// <summary>The messages the coordinator receives from workers.</summary>
public static class CoordinatorProtocol
{
    /// <summary>A worker asks for the job; the sender is its worker actor.</summary>
    /// <param name="WorkerId">Unique per worker process (its address and a random suffix).</param>
    /// <param name="WireVersion">The worker's <see cref="Wire.WireVersion.Current"/>.</param>
    /// <param name="Build">The worker's build (assembly informational version), for messages.</param>
    /// <param name="Threads">Threads the worker computes with.</param>
    public sealed record RegisterWorker(string WorkerId, int WireVersion, string Build, int Threads) : IWireMessage;

    /// <summary>The worker has loaded its data and built the model of the job: it can take slices.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="DataFingerprint">The fingerprint of its scaled training split, which must match the coordinator's.</param>
    /// <param name="TrainSamples">Its training samples, for messages.</param>
    public sealed record WorkerReady(string JobId, ulong DataFingerprint, int TrainSamples) : IWireMessage;

    /// <summary>The worker cannot take part (its data is missing or malformed, say).</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Reason">What went wrong, in plain words.</param>
    public sealed record WorkerFailed(string JobId, string Reason) : IWireMessage;
}
