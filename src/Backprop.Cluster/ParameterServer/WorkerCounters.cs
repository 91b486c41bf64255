namespace Backprop.Cluster.ParameterServer;

/// <summary>
/// What the parameter server has seen of one worker since the job started (this server's part of
/// it): cumulative counts, so that a reader can turn two of them into rates.
/// </summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Steps">Steps its whole gradient arrived for.</param>
/// <param name="Samples">Rows those gradients covered.</param>
/// <param name="LastArrivalMicros">
/// When its last whole gradient arrived, in microseconds after that step's weights were broadcast
/// (transfer down, compute, transfer up); 0 before its first.
/// </param>
/// <param name="LastComputeMicros">Its own gradient computation in that step, as it reported it; 0 before its first.</param>
/// <param name="Rejected">Gradient slices of it that were rejected (stale, duplicate, wrong length, ...).</param>
public sealed record WorkerCounters(string WorkerId, long Steps, long Samples, double LastArrivalMicros, long LastComputeMicros, long Rejected);
