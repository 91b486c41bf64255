using Akka.Actor;
using Backprop.Cluster.Coordinator;

namespace Backprop.Cluster.ParameterServer;

/// <summary>The local messages between the coordinator and the parameter server (same node, never serialised).</summary>
public static class ParameterServerCommands
{
    /// <summary>The workers of the next steps, in rank order; a worker missing from it is dropped from the step in flight.</summary>
    /// <param name="Workers">The ready workers.</param>
    public sealed record SetWorkers(IReadOnlyList<WorkerHandle> Workers) : INoSerializationVerificationNeeded;

    /// <summary>Begin stepping from the configured position, or carry on after an epoch end.</summary>
    public sealed record Proceed : INoSerializationVerificationNeeded
    {
        /// <summary>The single instance.</summary>
        public static readonly Proceed Instance = new();

        private Proceed()
        {
        }
    }

    /// <summary>
    /// Shard 0 of a sharded server fixed the workers of <paramref name="Step"/> (told to its server
    /// group, which passes it to the other shards): every shard must open a step for the same workers
    /// in the same rank order, or a worker's ranks would disagree and the shards fall out of step.
    /// </summary>
    /// <param name="Step">The global step.</param>
    /// <param name="WorkerIds">Its workers, in rank order.</param>
    public sealed record StepWorkers(long Step, IReadOnlyList<string> WorkerIds) : INoSerializationVerificationNeeded;

    /// <summary>
    /// To a shard other than 0: the workers shard 0 fixed for <paramref name="Step"/>. The shard opens
    /// that step for exactly these, in this rank order, never on its own; one that is not in its own
    /// roster (left, or its lane to this node down) is dropped from the step as it opens.
    /// </summary>
    /// <param name="Step">The global step.</param>
    /// <param name="WorkerIds">Its workers' ids, in rank order.</param>
    public sealed record FollowStep(long Step, IReadOnlyList<string> WorkerIds) : INoSerializationVerificationNeeded;

    /// <summary>
    /// Stop stepping for good (the job was interrupted): the step being applied is finished, a step
    /// still collecting is given up unapplied, and a <see cref="Snapshot"/> with <c>Halted</c> set
    /// follows, of the parameters after the last applied step.
    /// </summary>
    public sealed record Halt : INoSerializationVerificationNeeded
    {
        /// <summary>The single instance.</summary>
        public static readonly Halt Instance = new();

        private Halt()
        {
        }
    }

    /// <summary>
    /// A worker let <paramref name="Steps"/> steps in a row time out without its gradient (told to the
    /// coordinator, which drops it): alive enough for the failure detector, but stuck.
    /// </summary>
    /// <param name="WorkerId">The worker.</param>
    /// <param name="Steps">Steps it missed in a row.</param>
    public sealed record WorkerMissedSteps(string WorkerId, int Steps) : INoSerializationVerificationNeeded;

    /// <summary>A step was applied (told to the coordinator after every step).</summary>
    /// <param name="Step">Global steps done after it.</param>
    /// <param name="Epoch">0-based epoch of the step.</param>
    /// <param name="Batch">0-based batch of the step.</param>
    /// <param name="Totals">What was summed.</param>
    /// <param name="LearningRate">The rate applied.</param>
    /// <param name="World">Workers the step was opened for.</param>
    /// <param name="Rejections">Rejected gradient slices by reason, so far.</param>
    /// <param name="Timing">Where the step's time went.</param>
    /// <param name="Snapshots">Whether a <see cref="Snapshot"/> of this step follows.</param>
    /// <param name="ComputeMicrosByRank">Each rank's gradient computation in microseconds (0: no gradient arrived); null if not measured.</param>
    /// <param name="Traffic">Tensor payload bytes sent and received since the previous step was applied.</param>
    public sealed record StepApplied(
        long Step, int Epoch, int Batch, StepTotals Totals, double LearningRate, int World, IReadOnlyDictionary<string, long> Rejections, StepTiming Timing = default, bool Snapshots = false, IReadOnlyList<long>? ComputeMicrosByRank = null, WireTraffic Traffic = default)
        : INoSerializationVerificationNeeded;

    /// <summary>
    /// A copy of the parameters and optimiser state after <paramref name="Step"/>, for a checkpoint or
    /// an evaluation; at an epoch end the server then waits for <see cref="Proceed"/>.
    /// </summary>
    /// <param name="Step">Global steps done.</param>
    /// <param name="EpochEnd">Whether the step ended an epoch.</param>
    /// <param name="Parameters">The parameters (a copy).</param>
    /// <param name="OptimizerSteps">The optimiser's update count.</param>
    /// <param name="OptimizerState">The optimiser's buffers (copies).</param>
    /// <param name="Halted">Whether it answers <see cref="Halt"/>: the server takes no more steps.</param>
    public sealed record Snapshot(long Step, bool EpochEnd, float[] Parameters, long OptimizerSteps, IReadOnlyList<float[]> OptimizerState, bool Halted = false)
        : INoSerializationVerificationNeeded;

    /// <summary>Asks the server for its per-worker counts (the coordinator does, only when a worker table is due); answered with <see cref="WorkerReport"/>.</summary>
    public sealed record ReportWorkers : INoSerializationVerificationNeeded
    {
        /// <summary>The single instance.</summary>
        public static readonly ReportWorkers Instance = new();

        private ReportWorkers()
        {
        }
    }

    /// <summary>The server's counts of every worker it has seen, in no particular order.</summary>
    /// <param name="Workers">One immutable record per worker.</param>
    public sealed record WorkerReport(IReadOnlyList<WorkerCounters> Workers) : INoSerializationVerificationNeeded;
}
