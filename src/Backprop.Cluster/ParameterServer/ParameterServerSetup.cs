using Akka.Actor;
using Backprop.Cluster.Exchange;
using Backprop.Cluster.Settings;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Schedules;

namespace Backprop.Cluster.ParameterServer;

/// <summary>What the parameter server starts with; it owns the parameters and the optimiser from then on.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Parameters">The flat parameter buffer (initial or from a checkpoint).</param>
/// <param name="Optimizer">The update rule with its state.</param>
/// <param name="Schedule">The learning rate per step.</param>
/// <param name="BatchesPerEpoch">Steps per epoch.</param>
/// <param name="Epoch">The epoch to start in.</param>
/// <param name="Batch">The batch to start at.</param>
/// <param name="Step">The global step to start at.</param>
/// <param name="CheckpointEvery">Steps between snapshots besides epoch ends; 0 for none.</param>
/// <param name="SliceBytes">Largest weights slice per message.</param>
/// <param name="StepTimeout">When a step closes without the missing gradients.</param>
/// <param name="Coordinator">Told of every step and snapshot.</param>
/// <param name="MaxMissedSteps">Timed-out steps in a row after which a worker is reported to the coordinator.</param>
/// <param name="Buckets">How gradients are cut (null: whole); with more than one bucket each is applied and broadcast as soon as it is in.</param>
/// <param name="BackupWorkers">k: a step closes once all but k of its workers have contributed.</param>
/// <param name="Staleness">s: a gradient may be computed on weights up to s versions older than its step.</param>
/// <param name="Compression">The job's compression: with bf16 or fp16 the weights travel rounded (<see cref="Wire.TensorEncodings.ForWeights"/>).</param>
/// <param name="Shards">How the parameters are cut across a sharded server (null or K = 1: this server holds them all).</param>
/// <param name="Shard">The shard this server holds: it sums, applies and broadcasts that range only.</param>
public sealed record ParameterServerSetup(
    string JobId,
    float[] Parameters,
    Optimizer Optimizer,
    LearningRateSchedule Schedule,
    int BatchesPerEpoch,
    int Epoch,
    int Batch,
    long Step,
    int CheckpointEvery,
    int SliceBytes,
    TimeSpan StepTimeout,
    IActorRef Coordinator,
    int MaxMissedSteps = 3,
    GradientBuckets? Buckets = null,
    int BackupWorkers = 0,
    int Staleness = 0,
    WireCompression Compression = WireCompression.None,
    Sharding.ShardPlan? Shards = null,
    int Shard = 0);
