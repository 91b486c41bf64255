namespace Backprop.Cluster.ParameterServer;

/// <summary>Where a step's wall time went, in microseconds, as the parameter server sees it.</summary>
/// <param name="Broadcast">Serialising and queueing the weights for every worker (on the server's thread).</param>
/// <param name="Round">From the broadcast to the last gradient slice: transfer down, compute, serialise, transfer up.</param>
/// <param name="Compute">The slowest worker's own gradient computation.</param>
/// <param name="Apply">Summing the gradients and applying the optimiser, with the hand-off to and from the task.</param>
public readonly record struct StepTiming(double Broadcast, double Round, double Compute, double Apply)
{
    /// <summary>The round minus the compute: moving and (de)serialising tensors both ways.</summary>
    public double Transfer => Math.Max(0, Round - Compute);
}
