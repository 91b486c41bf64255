using Backprop.Cluster.Settings;
using Backprop.Nn.Jobs;
using Backprop.Nn.Training;

namespace Backprop.Cluster.Coordinator;

/// <summary>What the coordinator runs and whom it tells.</summary>
/// <param name="Setup">The prepared run (data, model, optimiser, position).</param>
/// <param name="Cluster">The cluster settings.</param>
/// <param name="Finished">Called once with the summary when the job ends.</param>
/// <param name="Observer">Told about every step and epoch; may be null.</param>
/// <param name="Log">Milestones in plain words; may be null.</param>
/// <param name="LaneHost">The interface the tensor lane listens on.</param>
/// <param name="Tls">Mutual TLS on every connection; null for plain TCP.</param>
/// <param name="Standbys">
/// Standby coordinators may take the job over: an interrupted job keeps its workers (they follow the
/// coordinator that takes over), and a job that ends tells the standbys so that they end too.
/// </param>
public sealed record CoordinatorOptions(
    TrainingSetup Setup,
    ClusterSettings Cluster,
    Action<ClusterSummary> Finished,
    ITrainingObserver? Observer = null,
    Action<string>? Log = null,
    string LaneHost = "127.0.0.1",
    Security.ClusterTls? Tls = null,
    bool Standbys = false)
{
    /// <summary>
    /// How often an <see cref="IWorkerTableObserver"/> observer gets a new <see cref="WorkerTable"/>
    /// (never when the observer is not one): often enough for a live view, rarely enough that building
    /// it costs the steps nothing.
    /// </summary>
    public TimeSpan WorkerTableEvery { get; init; } = TimeSpan.FromMilliseconds(250);
}
