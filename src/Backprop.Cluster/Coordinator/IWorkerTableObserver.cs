namespace Backprop.Cluster.Coordinator;

/// <summary>
/// Implemented by a training observer that also wants the cluster's worker table (a live view, a
/// metrics endpoint). The coordinator calls it on its own thread at most every
/// <see cref="CoordinatorOptions.WorkerTableEvery"/>, never per step; local training never calls it.
/// </summary>
public interface IWorkerTableObserver
{
    /// <summary>A new table: immutable, the receiver's to keep. Return quickly (store it, do not render it here).</summary>
    /// <param name="table">The workers and the steps' accounting now.</param>
    void WorkersUpdated(WorkerTable table);
}
