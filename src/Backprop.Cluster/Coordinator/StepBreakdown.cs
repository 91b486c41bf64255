namespace Backprop.Cluster.Coordinator;

/// <summary>
/// Mean microseconds per step of each phase, over the steps after the first epoch (warm), and the CPU
/// this process spent per step (all its threads; with <c>train --workers</c> the workers' too).
/// </summary>
/// <param name="Step">Wall time from one step applied to the next.</param>
/// <param name="Broadcast">Serialising and queueing the weights for every worker.</param>
/// <param name="Compute">The slowest worker's forward and backward pass.</param>
/// <param name="Transfer">Moving and (de)serialising the tensors both ways: the round minus the compute.</param>
/// <param name="Apply">Summing in rank order and the optimiser step.</param>
/// <param name="CpuPerStep">Process CPU microseconds per step.</param>
public sealed record StepBreakdown(double Step, double Broadcast, double Compute, double Transfer, double Apply, double CpuPerStep);
