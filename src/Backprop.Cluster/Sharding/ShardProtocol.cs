using Backprop.Cluster.Settings;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Sharding;

/// <summary>
/// The messages between the coordinator's server group and the <c>server</c>-role nodes that hold the
/// other shards of a sharded parameter server (<c>backprop.cluster.exchange.servers</c> above 1).
/// </summary>
public static class ShardProtocol
{
    /// <summary>A server node offers itself to the coordinator (sent to the group's fixed path).</summary>
    /// <param name="ServerId">Unique per server process.</param>
    /// <param name="WireVersion">The sender's <see cref="Wire.WireVersion.Current"/>.</param>
    /// <param name="Build">The sender's assembly version, for the refusal message.</param>
    public sealed record RegisterServer(string ServerId, int WireVersion, string Build) : IWireMessage;

    /// <summary>
    /// The shard a server node is to hold: everything but its values, which follow as
    /// <see cref="ShardTensor"/> messages (the parameters, then each optimiser buffer, of its range).
    /// </summary>
    /// <param name="JobId">The job.</param>
    /// <param name="ConfigText">The job's resolved configuration (the optimiser, the schedule, checkpoint-every).</param>
    /// <param name="Shard">The shard's index, 1 to <paramref name="Shards"/> − 1 (the coordinator holds 0).</param>
    /// <param name="Shards">K, the number of shards.</param>
    /// <param name="Widths">The model's layer widths, input first: the parameter layout.</param>
    /// <param name="BatchesPerEpoch">Steps per epoch.</param>
    /// <param name="Step">The global step to start at.</param>
    /// <param name="Epoch">The epoch to start in.</param>
    /// <param name="Batch">The batch to start at.</param>
    /// <param name="OptimizerSteps">The optimiser's update count so far (Adam's bias correction).</param>
    /// <param name="Exchange">The job's exchange settings (buckets, compression).</param>
    /// <param name="SliceBytes">Largest tensor slice per message.</param>
    /// <param name="StepTimeoutMillis">When a step closes without the missing gradients.</param>
    /// <param name="Lane">Whether tensors travel on the tensor lane: the server node then opens a lane listener of its own for the workers.</param>
    public sealed record ShardOffer(
        string JobId,
        string ConfigText,
        int Shard,
        int Shards,
        IReadOnlyList<int> Widths,
        int BatchesPerEpoch,
        long Step,
        int Epoch,
        int Batch,
        long OptimizerSteps,
        ExchangeSettings Exchange,
        int SliceBytes,
        long StepTimeoutMillis,
        bool Lane = false) : IWireMessage;

    /// <summary>
    /// A range of a shard's values: of the parameters (<paramref name="Buffer"/> 0) or of optimiser
    /// buffer <paramref name="Buffer"/> − 1. The coordinator sends the shard's start values this way; a
    /// server node sends its snapshots this way, each followed by a <see cref="ShardSnapshot"/>.
    /// </summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Step">The global step the values are after.</param>
    /// <param name="Buffer">0: the parameters; i ≥ 1: the optimiser's buffer i − 1.</param>
    /// <param name="Slice">The values, at their offsets in the whole flat buffer.</param>
    public sealed record ShardTensor(string JobId, long Step, int Buffer, TensorSlice Slice) : IWireMessage;

    /// <summary>A server node built its shard; it steps once told to proceed.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Shard">The shard it holds.</param>
    /// <param name="LaneHost">Where its tensor lane listens for the workers; empty over Akka.Remote.</param>
    /// <param name="LanePort">Its lane's port; 0 over Akka.Remote.</param>
    public sealed record ShardReady(string JobId, int Shard, string LaneHost = "", int LanePort = 0) : IWireMessage;

    /// <summary>A worker's tensor lane to a server node's shard came up or went down.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Shard">The shard.</param>
    /// <param name="WorkerId">The worker.</param>
    /// <param name="Connected">Up (true) or lost (false).</param>
    /// <param name="Reason">Why it was lost; empty when it came up.</param>
    public sealed record ShardLaneChanged(string JobId, int Shard, string WorkerId, bool Connected, string Reason) : IWireMessage;

    /// <summary>The workers of the next steps, in rank order (the shard resolves their actor paths).</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="WorkerIds">Their ids.</param>
    /// <param name="WorkerPaths">Their worker actors' full paths, in the same order.</param>
    public sealed record ShardWorkers(string JobId, IReadOnlyList<string> WorkerIds, IReadOnlyList<string> WorkerPaths) : IWireMessage;

    /// <summary>
    /// The workers shard 0 fixed for a step, in rank order: the shard opens that step for exactly these
    /// (sent for every step, before any worker can compute it).
    /// </summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Step">The global step.</param>
    /// <param name="WorkerIds">Its workers' ids, in rank order (each was in a <see cref="ShardWorkers"/> before).</param>
    public sealed record ShardStepWorkers(string JobId, long Step, IReadOnlyList<string> WorkerIds) : IWireMessage;

    /// <summary>What the coordinator tells a shard besides the roster.</summary>
    public enum ShardCommand
    {
        /// <summary>Begin stepping, or carry on after an epoch end.</summary>
        Proceed = 0,

        /// <summary>Stop after the step in flight and send a halted snapshot.</summary>
        Halt = 1,

        /// <summary>The job is over (completed): the server node leaves and exits 0.</summary>
        Finished = 2,

        /// <summary>The job ended early (failed or interrupted): the server node leaves and exits 1.</summary>
        Ended = 3,
    }

    /// <summary>A command to a shard.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Command">What to do.</param>
    public sealed record ShardControl(string JobId, ShardCommand Command) : IWireMessage;

    /// <summary>
    /// The end of a shard's snapshot: its <see cref="ShardTensor"/> messages of <paramref name="Step"/>
    /// came before it, on the same connection.
    /// </summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Shard">The shard.</param>
    /// <param name="Step">Global steps done.</param>
    /// <param name="EpochEnd">Whether the step ended an epoch.</param>
    /// <param name="Halted">Whether it answers a halt: the shard takes no more steps.</param>
    /// <param name="OptimizerSteps">The optimiser's update count.</param>
    /// <param name="BytesDown">Tensor payload bytes of weights the shard sent since its previous snapshot.</param>
    /// <param name="BytesUp">Tensor payload bytes of gradients it received since its previous snapshot.</param>
    public sealed record ShardSnapshot(string JobId, int Shard, long Step, bool EpochEnd, bool Halted, long OptimizerSteps, long BytesDown = 0, long BytesUp = 0) : IWireMessage;
}
