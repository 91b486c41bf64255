namespace Backprop.Cluster.Coordinator;

/// <summary>
/// The cluster at a moment, for a live view or a metrics endpoint: every worker the coordinator
/// knows (and those it lost) with its counts, and the steps' accounting. Immutable: the coordinator
/// hands it over and never touches it again, so a reader on any thread may keep it.
/// </summary>
/// <param name="Step">Global steps done.</param>
/// <param name="Account">How the steps this coordinator closed went (full, short-handed, gradients applied and missing).</param>
/// <param name="Rejections">Rejected gradient slices by reason, over the job.</param>
/// <param name="Workers">The workers: those in the steps in rank order, then the others.</param>
public sealed record WorkerTable(long Step, StepAccount Account, IReadOnlyDictionary<string, long> Rejections, IReadOnlyList<WorkerRow> Workers)
{
    /// <summary>A table with no worker and no step, before the coordinator sent its first.</summary>
    public static readonly WorkerTable Empty = new(0, default, new Dictionary<string, long>(), []);

    /// <summary>Steps that closed without every worker they were opened for.</summary>
    public long ShortHandedSteps => Account.ShortHandedSteps;

    /// <summary>Rejected gradient slices of every reason.</summary>
    public long RejectedTotal => Rejections.Values.Sum();

    /// <summary>Workers in the steps now.</summary>
    public int InSteps => Workers.Count(w => w.State == WorkerState.InSteps);
}
