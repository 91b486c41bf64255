using Backprop.Cluster.ParameterServer;
using Backprop.Nn.Jobs;

namespace Backprop.Cluster.Coordinator;

/// <summary>A cluster run's summary: the local one plus what distribution added.</summary>
/// <param name="Training">The same summary as local training.</param>
/// <param name="Workers">The most workers that took part in one step.</param>
/// <param name="Closed">How the steps this process closed went: full or short-handed, gradients applied or missing.</param>
/// <param name="RejectedGradients">Gradient slices rejected, by reason.</param>
/// <param name="AllocatedBytesPerStep">Managed bytes this process allocated per step, between consecutive steps of an
/// epoch (all threads; with <c>train --workers</c> the workers' too).</param>
/// <param name="Breakdown">Where a step's time went; null if no warm step was measured.</param>
/// <param name="Failure">Why the job stopped early, or null.</param>
/// <param name="Traffic">Tensor payload bytes the steps this process closed moved (weights down, gradients up).</param>
public sealed record ClusterSummary(
    TrainingSummary Training,
    int Workers,
    StepAccount Closed,
    IReadOnlyDictionary<string, long> RejectedGradients,
    double AllocatedBytesPerStep,
    StepBreakdown? Breakdown = null,
    string? Failure = null,
    WireTraffic Traffic = default)
{
    /// <summary>Tensor payload bytes a step moved, on average; null without a step or where tensors never crossed a wire.</summary>
    public WireTraffic? TrafficPerStep => Closed.Steps > 0 && Traffic.Total > 0 ? new(Traffic.Down / Closed.Steps, Traffic.Up / Closed.Steps) : null;

    /// <summary>Steps that closed without every worker they were opened for.</summary>
    public long ShortHandedSteps => Closed.ShortHandedSteps;

    /// <summary>Rejected gradient slices in all.</summary>
    public long RejectedTotal => RejectedGradients.Values.Sum();
}
