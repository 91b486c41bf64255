namespace Backprop.Cluster.Coordinator;

/// <summary>One worker's line of a <see cref="WorkerTable"/>.</summary>
/// <param name="WorkerId">Unique per worker process.</param>
/// <param name="Host">Its node's address (host:port).</param>
/// <param name="State">Joining, ready, in the steps, unreachable or lost.</param>
/// <param name="Rank">Its rank in the next steps; null when it is not in them.</param>
/// <param name="Steps">Steps its whole gradient arrived for.</param>
/// <param name="Samples">Rows those gradients covered.</param>
/// <param name="SamplesPerSecond">Rows it contributed per second of wall time since the previous table (0 for the first).</param>
/// <param name="LastArrivalMs">
/// When its last gradient arrived, in milliseconds after that step's broadcast (weights down,
/// compute, gradient up); null before its first.
/// </param>
/// <param name="LastComputeMs">Its own computation of that gradient in milliseconds; null before its first.</param>
/// <param name="Rejected">Gradient slices of it that were rejected.</param>
public sealed record WorkerRow(
    string WorkerId, string Host, WorkerState State, int? Rank, long Steps, long Samples, double SamplesPerSecond, double? LastArrivalMs, double? LastComputeMs, long Rejected);
