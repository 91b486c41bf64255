namespace Backprop.Cluster.Coordinator;

/// <summary>Where a worker stands in the coordinator's eyes, for the live view and the metrics.</summary>
public enum WorkerState
{
    /// <summary>Registered and offered the job; not yet ready (loading its data, building the model).</summary>
    Joining,

    /// <summary>Ready, but not in the steps yet: the job has not started, or its tensor lane is not connected.</summary>
    Ready,

    /// <summary>Dealt a slice of every step.</summary>
    InSteps,

    /// <summary>Registered but unreachable: out of the steps until it comes back or is downed.</summary>
    Unreachable,

    /// <summary>Gone: left, stopped, removed from the cluster or dropped for missing steps.</summary>
    Lost,
}
