namespace Backprop.Cluster.Worker;

/// <summary>How a worker node runs.</summary>
/// <param name="Threads">Threads of its matrix products; 0 for every core.</param>
/// <param name="SliceBytes">Largest gradient slice per message.</param>
/// <param name="JoinTimeout">How long it looks for a coordinator before giving up.</param>
/// <param name="Finished">Called once when the worker is done: null for a finished job, else why it gave up.</param>
/// <param name="Log">Milestones in plain words, for the console; may be null.</param>
/// <param name="LaneSliceBytes">Largest gradient slice per frame when the job's tensors travel on the lane.</param>
/// <param name="Tls">Mutual TLS on every connection; null for plain TCP.</param>
/// <param name="CoordinatorLost">Called instead of <paramref name="Finished"/> when the job's coordinator node left the cluster without ending the job; may be null.</param>
public sealed record WorkerOptions(
    int Threads, int SliceBytes, TimeSpan JoinTimeout, Action<string?> Finished, Action<string>? Log = null, int LaneSliceBytes = 64_000_000, Security.ClusterTls? Tls = null, Action? CoordinatorLost = null);
