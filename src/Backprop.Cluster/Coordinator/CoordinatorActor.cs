using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Backprop.Cluster.Exchange;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Sharding;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Worker;
using Backprop.Nn.Evaluation;
using Backprop.Nn.Jobs;
using Backprop.Nn.Models;
using Backprop.Nn.Parameters;
using Backprop.Nn.Persistence;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Cluster.Coordinator;

/// <summary>
/// Runs the job: registers workers as they come (checking their wire version and data), starts the
/// parameter server once <c>min-workers</c> are ready, tells it who is in each step as members come
/// and go, evaluates and checkpoints at epoch ends (off the mailbox), applies early stopping, and at
/// the end saves the model, evaluates on the test set, releases the workers and reports the summary.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor, IWithTimers
{
    /// <summary>
    /// The coordinator actor's name: workers register at /user/coordinator on a coordinator node, where it
    /// is this actor, or with standby coordinators the singleton proxy that forwards to it (under its
    /// <see cref="CoordinatorSeat"/>).
    /// </summary>
    public const string Name = "coordinator";

    private const string WorkerTableTimer = "worker-table";

    private readonly CoordinatorOptions _options;
    private readonly string _jobId = Guid.NewGuid().ToString("N")[..12];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly WorkerRoster _roster;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly Stopwatch _epochClock = new();
    private readonly float[] _evaluationParameters;
    private IActorRef _server = ActorRefs.Nobody;
    private LaneServer? _lane;

    // The server nodes' lanes named in every job offer; null until they are known (sharded, on the lane).
    private string? _shardLanes;
    private IReadOnlyList<WorkerHandle> _steps = [];
    private readonly HashSet<Address> _upNodes = [];
    private TrainingState _state;
    private IReadOnlyDictionary<string, long> _rejections = new Dictionary<string, long>();
    private StepAccount _closed;
    private WireTraffic _traffic;
    private long _epochSamplesHere;
    private int _peakWorkers;
    private bool _started;
    private long _allocatedAtLastStep;
    private long _allocatedInSteps;
    private long _allocationSteps;
    private int _allocationEpoch = -1;
    private bool _snapshotBefore;
    private int _checkpointsWriting;
    private bool _checkpointWritten;
    private long _timedSteps;
    private double _sumBroadcast;
    private double _sumCompute;
    private double _sumTransfer;
    private double _sumApply;
    private long _timedSince;
    private TimeSpan _cpuSince;
    private bool _finishing;
    private bool _evaluating;
    private bool _interrupted;
    private WorkerTable? _table;
    private long _tableAt;
    private bool _reportAsked;

    // Checkpoint writes (and the evaluations that end in one) run off the mailbox one after another,
    // so an older state can never overwrite a newer one.
    private Task _writing = Task.CompletedTask;

    /// <summary>A coordinator for one job.</summary>
    /// <param name="options">The job and whom to tell.</param>
    public CoordinatorActor(CoordinatorOptions options)
    {
        _options = options;
        _state = options.Setup.State;
        _evaluationParameters = new float[options.Setup.Parameters.Length];
        int servers = options.Cluster.Exchange.Servers;
        _roster = new WorkerRoster(options.Cluster.UsesLane, options.Cluster.UsesLane ? servers - 1 : 0);

        // On the lane, the job is offered with the server nodes' lanes: not before every shard is built.
        _shardLanes = servers > 1 && options.Cluster.UsesLane ? null : string.Empty;

        Receive<CoordinatorProtocol.RegisterWorker>(OnRegister);
        Receive<ShardProtocol.RegisterServer>(OnRegisterServer);
        Receive<ServerGroupCommands.ShardLost>(l => Fail(l.Reason));
        Receive<ServerGroupCommands.ShardTraffic>(t => _traffic += t.Traffic);
        Receive<ServerGroupCommands.ShardsReady>(r => _shardLanes = r.ShardLanes);
        Receive<ServerGroupCommands.ShardLane>(l =>
        {
            _roster.SetShardLane(l.WorkerId, l.Shard, l.Connected);
            if (!l.Connected && !_finishing)
            {
                Log($"worker {l.WorkerId}: tensor lane to shard {l.Shard} lost ({l.Reason}); it leaves the steps until it reconnects");
            }

            UpdateSteps();
        });
        Receive<CoordinatorProtocol.WorkerReady>(OnReady);
        Receive<CoordinatorProtocol.WorkerFailed>(f => Log($"worker {Describe(Sender)} failed: {f.Reason}"));
        Receive<ClusterEvent.UnreachableMember>(m => Reachability(m.Member.Address, reachable: false));
        Receive<ClusterEvent.ReachableMember>(m => Reachability(m.Member.Address, reachable: true));
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            _upNodes.Remove(m.Member.Address);
            Lose(r => r.Path.Address.Equals(m.Member.Address), "removed from the cluster");
        });
        Receive<ClusterEvent.MemberUp>(m =>
        {
            _upNodes.Add(m.Member.Address);
            StartWhenReady();
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Terminated>(t => Lose(r => r.Equals(t.ActorRef), "stopped"));
        Receive<LaneEvents.Connected>(c =>
        {
            _roster.SetLane(c.WorkerId, c.Proxy);
            UpdateSteps();
        });
        Receive<LaneEvents.Lost>(l =>
        {
            _roster.SetLane(l.WorkerId, null);
            if (!_finishing)
            {
                Log($"worker {l.WorkerId}: tensor lane lost ({l.Reason}); it leaves the steps until it reconnects");
            }

            UpdateSteps();
        });
        Receive<ParameterServerCommands.StepApplied>(OnStepApplied);
        Receive<ParameterServerCommands.WorkerMissedSteps>(OnMissedSteps);
        Receive<ParameterServerCommands.Snapshot>(OnSnapshot);
        Receive<WorkerTableDue>(_ => AskForWorkerReport());
        Receive<ParameterServerCommands.WorkerReport>(OnWorkerReport);
        Receive<EpochEvaluated>(OnEpochEvaluated);
        Receive<JobEnded>(OnJobEnded);
        Receive<CheckpointWritten>(_ =>
        {
            _checkpointsWriting--;
            _checkpointWritten = true;
        });
        Receive<Interrupt>(_ => OnInterrupt());
        Receive<HaltTimedOut>(_ => Fail("interrupted; the parameter server did not hand over its state in time, so the last checkpoint stays"));
        Receive<Status.Failure>(f => Fail($"the coordinator's work failed: {f.Cause.GetBaseException().Message}"));
    }

    /// <inheritdoc/>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of a coordinator.</summary>
    /// <param name="options">The job and whom to tell.</param>
    /// <returns>The props.</returns>
    public static Props Props(CoordinatorOptions options) => Akka.Actor.Props.Create(() => new CoordinatorActor(options));

    /// <inheritdoc/>
    protected override void PreStart()
    {
        _cluster.Subscribe(
            Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember));
        var setup = _options.Setup;
        var state = setup.State;
        var serverSetup = new ParameterServerSetup(
            _jobId,
            setup.Parameters,
            setup.Optimizer,
            setup.Schedule,
            setup.BatchesPerEpoch,
            state.Epoch,
            state.NextBatch,
            state.Step,
            setup.Settings.Training.CheckpointEvery,
            _options.Cluster.TransportSliceBytes,
            _options.Cluster.StepTimeout,
            Self,
            _options.Cluster.MaxMissedSteps,
            GradientBuckets.Plan(new ParameterLayout(setup.Spec.Widths), _options.Cluster.Exchange.BucketBytes),
            _options.Cluster.Exchange.BackupWorkers,
            _options.Cluster.Exchange.Staleness,
            _options.Cluster.Exchange.Compression);
        var exchange = _options.Cluster.Exchange;
        _server = exchange.Servers > 1
            ? Context.ActorOf(
                ServerGroupActor.Props(new ServerGroupSetup(
                    serverSetup with { Shards = new ShardPlan(setup.Parameters.Length, exchange.Servers), Shard = 0 }, setup.Options.ConfigText, setup.Spec.Widths, exchange, _options.Log, _options.Cluster.UsesLane, _options.Cluster.SliceBytes)),
                "parameter-server")
            : Context.ActorOf(ParameterServerActor.Props(serverSetup), "parameter-server");
        if (_options.Cluster.UsesLane)
        {
            _lane = LaneServer.Start(Context.System, _options.LaneHost, _options.Cluster.LanePort, _jobId, _server, Self, _options.Cluster.LaneSliceBytes + 4096, _options.Tls);
            Log($"tensor lane listening on port {_lane.Port}{(_options.Tls is null ? string.Empty : " (mutual TLS)")}");
        }
        if (_options.Cluster.Exchange.Staleness > 0 && setup.Settings.Optimizer.Momentum >= 0.8 && setup.Settings.Optimizer.Kind is Nn.Optimizers.OptimizerKind.Momentum or Nn.Optimizers.OptimizerKind.Nesterov)
        {
            // Asynchrony begets momentum (Mitliagkas et al., 2016): measured here, 3 epochs of the default
            // model reach 34% test accuracy at staleness 1 with momentum 0.9, 74% with 0.5 (79% synchronous).
            Log($"warning: staleness = {_options.Cluster.Exchange.Staleness} with momentum {setup.Settings.Optimizer.Momentum}: delayed gradients add momentum of their own; lower backprop.optimizer.momentum (0.5 is a good start) or training may diverge");
        }

        Log($"job {_jobId}: waiting for {_options.Cluster.MinWorkers} worker(s) at {_cluster.SelfAddress}");
        if (_options.Observer is IWorkerTableObserver)
        {
            Timers.StartPeriodicTimer(WorkerTableTimer, WorkerTableDue.Instance, _options.WorkerTableEvery);
        }
    }

    /// <inheritdoc/>
    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _lane?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }

    private void OnRegister(CoordinatorProtocol.RegisterWorker register)
    {
        if (_finishing)
        {
            Sender.Tell(new WorkerProtocol.JobFinished(_jobId, true));
            return;
        }

        if (_shardLanes is null)
        {
            // The worker asks again every 2 s; the offer names every server node's lane once they are built.
            return;
        }

        if (register.WireVersion != WireVersion.Current)
        {
            Sender.Tell(new WorkerProtocol.Refused($"the worker speaks wire version {register.WireVersion} (build {register.Build}); this coordinator speaks {WireVersion.Current}. Run the same backprop version on every node."));
            Log($"refused worker {register.WorkerId}: wire version {register.WireVersion}");
            return;
        }

        if (_roster.Register(register.WorkerId, Sender))
        {
            Context.Watch(Sender);
            Log($"worker {register.WorkerId} registered ({register.Threads} thread(s)); sending the job");
        }

        var exchange = _options.Cluster.Exchange;
        Sender.Tell(_lane is null
            ? new WorkerProtocol.JobOffer(_jobId, _options.Setup.Options.ConfigText, Exchange: exchange)
            : new WorkerProtocol.JobOffer(_jobId, _options.Setup.Options.ConfigText, _cluster.SelfAddress.Host ?? "127.0.0.1", _lane.Port, exchange, _shardLanes));
    }

    /// <summary>A server node offering to hold a shard: the server group deals them out, if the job is sharded.</summary>
    private void OnRegisterServer(ShardProtocol.RegisterServer register)
    {
        if (_finishing)
        {
            Sender.Tell(new WorkerProtocol.Refused("the job is finishing"));
        }
        else if (_options.Cluster.Exchange.Servers > 1)
        {
            _server.Forward(register);
        }
        else
        {
            Sender.Tell(new WorkerProtocol.Refused("this job's parameter server is not sharded (backprop.cluster.exchange.servers = 1): it needs no server node"));
            Log($"refused server node {register.ServerId}: the job has one parameter server");
        }
    }

    private void OnReady(CoordinatorProtocol.WorkerReady ready)
    {
        if (_roster.IdOf(Sender) is not { } id || ready.JobId != _jobId || _finishing || _roster.IsReady(id))
        {
            return;
        }

        if (ready.DataFingerprint != _options.Setup.Fingerprint)
        {
            Sender.Tell(new WorkerProtocol.Refused(
                $"its training data (fingerprint {ready.DataFingerprint:x16}, {ready.TrainSamples} samples) differs from the coordinator's ({_options.Setup.Fingerprint:x16}, {_options.Setup.Data.Train.Count}); every node must read the same data."));
            Log($"refused worker {id}: its data differs");
            return;
        }

        _roster.MarkReady(id);
        Log($"worker {id} ready");
        UpdateSteps();
    }

    /// <summary>Tells the parameter server when the step roster changed, and starts the job once enough are in it.</summary>
    private void UpdateSteps()
    {
        var steps = _roster.Steps;
        if (steps.SequenceEqual(_steps))
        {
            return;
        }

        _steps = steps;
        Log($"{steps.Count} worker(s) in the steps ({steps.Count} ready)");
        _server.Tell(new ParameterServerCommands.SetWorkers(steps));
        StartWhenReady();
    }

    /// <summary>
    /// Starts the job once min-workers are in the steps and each one's node is Up. A node registers
    /// while it is still Joining, which the split-brain resolver does not count: a job started then
    /// and losing its coordinator at once (it happened in a test, a few seconds into the job) left a
    /// standby coordinator counting two coordinators only, and keep-oldest kept the lost one.
    /// </summary>
    private void StartWhenReady()
    {
        if (!_started && !_finishing && _steps.Count >= _options.Cluster.MinWorkers && _steps.All(w => IsUp(_roster.NodeOf(w.WorkerId))))
        {
            Start();
        }
    }

    /// <summary>Whether a node has come Up (as this actor's member events tell); a worker on this very node (in tests) has.</summary>
    private bool IsUp(Address node) => !node.HasGlobalScope || node.Equals(_cluster.SelfAddress) || _upNodes.Contains(node);

    private void Start()
    {
        _started = true;
        var setup = _options.Setup;
        var state = setup.State;
        Log($"starting with {_steps.Count} worker(s) at epoch {state.Epoch + 1}, step {state.Step}");
        if (state.Epoch >= setup.Settings.Training.Epochs || state.StoppedEarly)
        {
            Finish();
            return;
        }

        _epochClock.Restart();
        _server.Tell(ParameterServerCommands.Proceed.Instance);
    }

    private void Lose(Func<IActorRef, bool> which, string how)
    {
        foreach (string id in _roster.Remove(which))
        {
            Log($"worker {id} lost ({how})");
        }

        UpdateSteps();
    }

    /// <summary>
    /// An unreachable worker leaves the steps at once (the step in flight closes without it) but stays
    /// registered: if it comes back before the resolver downs it, it is dealt in again.
    /// </summary>
    private void Reachability(Address address, bool reachable)
    {
        foreach (string id in _roster.SetReachable(address, reachable))
        {
            Log($"worker {id} {(reachable ? "reachable again" : "unreachable")}");
        }

        UpdateSteps();
    }

    /// <summary>
    /// A worker the failure detector still hears but that no longer answers steps (a stuck compute, a
    /// wedged lane) leaves the steps and has its node downed: like a node that vanished, it rejoins as
    /// a new member if it ever recovers, rather than coming back half in a job.
    /// </summary>
    private void OnMissedSteps(ParameterServerCommands.WorkerMissedSteps missed)
    {
        if (_roster.Find(missed.WorkerId) is not { } worker)
        {
            return;
        }

        Log($"worker {missed.WorkerId} missed {missed.Steps} steps in a row (step-timeout {_options.Cluster.StepTimeout.TotalSeconds:0.#} s); dropping it and downing its node");
        Lose(r => r.Equals(worker), "missed steps");
        var node = worker.Path.Address;
        if (node.HasGlobalScope && !node.Equals(_cluster.SelfAddress))
        {
            _cluster.Down(node);
        }
    }

    private void OnStepApplied(ParameterServerCommands.StepApplied step)
    {
        // Warm steps only: from the second epoch on (or the first when there is one), once the JIT,
        // the buffers and the pools have settled.
        bool warm = step.Epoch >= 1 || _options.Setup.Settings.Training.Epochs == 1;

        // Allocation between consecutive warm steps of one epoch: the hot path. Left out: the epoch
        // ends' evaluation, the copy of the parameters a snapshot takes (on either side of its step,
        // since the server makes it while this message is on its way) and the steps a checkpoint is
        // written over.
        long allocated = GC.GetTotalAllocatedBytes();
        if (warm && step.Epoch == _allocationEpoch && !_snapshotBefore && !step.Snapshots && _checkpointsWriting == 0 && !_checkpointWritten)
        {
            _allocatedInSteps += allocated - _allocatedAtLastStep;
            _allocationSteps++;
        }

        _snapshotBefore = step.Snapshots;
        _checkpointWritten = false;
        _allocationEpoch = step.Epoch;
        _allocatedAtLastStep = allocated;

        if (warm)
        {
            if (_timedSteps == 0)
            {
                _timedSince = Stopwatch.GetTimestamp();
                _cpuSince = Process.GetCurrentProcess().TotalProcessorTime;
            }
            else
            {
                _sumBroadcast += step.Timing.Broadcast;
                _sumCompute += step.Timing.Compute;
                _sumTransfer += step.Timing.Transfer;
                _sumApply += step.Timing.Apply;
            }

            _timedSteps++;
        }

        _rejections = step.Rejections;
        _closed = _closed.Add(step.Totals);
        _traffic += step.Traffic;
        _peakWorkers = Math.Max(_peakWorkers, step.World);
        _epochSamplesHere += step.Totals.Samples;
        _state = _state with
        {
            Step = step.Step,
            NextBatch = step.Batch + 1,
            EpochLossSum = _state.EpochLossSum + step.Totals.LossSum,
            EpochCorrect = _state.EpochCorrect + step.Totals.Correct,
            EpochSamples = _state.EpochSamples + step.Totals.Samples,
        };
        double seconds = _epochClock.Elapsed.TotalSeconds;
        (_options.Observer as IStepTimingObserver)?.StepTimed(step.Step, step.Timing, step.World, step.ComputeMicrosByRank);
        _options.Observer?.StepCompleted(new TrainingProgress(
            step.Epoch + 1,
            _options.Setup.Settings.Training.Epochs,
            step.Batch + 1,
            _options.Setup.BatchesPerEpoch,
            step.Step,
            _state.EpochLossSum / Math.Max(1, _state.EpochSamples),
            _options.Setup.Data.Train.Task == Nn.Data.TaskKind.Classification ? (double)_state.EpochCorrect / Math.Max(1, _state.EpochSamples) : null,
            _epochSamplesHere / Math.Max(seconds, 1e-9),
            step.LearningRate));
    }

    /// <summary>
    /// A worker table is due: the server is asked for its counts, and the table is built when they
    /// come. One question at a time, so a server busy with a long step is not sent a pile of them.
    /// </summary>
    private void AskForWorkerReport()
    {
        if (_reportAsked)
        {
            return;
        }

        _reportAsked = true;
        _server.Tell(ParameterServerCommands.ReportWorkers.Instance);
    }

    private void OnWorkerReport(ParameterServerCommands.WorkerReport report)
    {
        _reportAsked = false;
        long now = Stopwatch.GetTimestamp();
        double seconds = _table is null ? 0 : Stopwatch.GetElapsedTime(_tableAt, now).TotalSeconds;
        _table = WorkerTableBuilder.Build(_table, seconds, _roster.Describe(_started), report.Workers, _state.Step, _closed, _rejections);
        _tableAt = now;
        (_options.Observer as IWorkerTableObserver)?.WorkersUpdated(_table);
    }

    private void OnSnapshot(ParameterServerCommands.Snapshot snapshot)
    {
        var setup = _options.Setup;
        var state = _state;
        if (snapshot.Halted)
        {
            if (_evaluating || _finishing)
            {
                // The server halted at an epoch end whose checkpoint is on its way (or written):
                // that one holds the closed epoch, and the job ends once it is.
                return;
            }

            _finishing = true;
            Serially(() =>
            {
                setup.SaveCheckpoint(snapshot.Parameters, snapshot.OptimizerSteps, snapshot.OptimizerState, state);
                return new JobEnded(null, $"interrupted by a signal; the checkpoint holds step {snapshot.Step}");
            }).PipeTo(Self);
            return;
        }

        if (!snapshot.EpochEnd)
        {
            _checkpointsWriting++;
            Serially(() =>
            {
                setup.SaveCheckpoint(snapshot.Parameters, snapshot.OptimizerSteps, snapshot.OptimizerState, state);
                return CheckpointWritten.Instance;
            }).PipeTo(Self);
            return;
        }

        _evaluating = true;

        _epochClock.Stop();
        double trainSeconds = _epochClock.Elapsed.TotalSeconds;
        long samplesHere = _epochSamplesHere;
        var evaluationParameters = _evaluationParameters;
        int epoch = state.Epoch;
        double rate = setup.Schedule.Rate(Math.Max(0, state.Step - 1));

        // Evaluation and the checkpoint run off the mailbox on the coordinator's own copy of the weights.
        Serially(() =>
        {
            snapshot.Parameters.CopyTo(evaluationParameters, 0);
            using var gemm = new GemmEngine(new GemmOptions { Threads = 1 });
            var evaluator = new Evaluator(new Network(setup.Spec, evaluationParameters, gemm));
            var report = EpochClose.Report(
                epoch,
                state.Step,
                rate,
                state.EpochLossSum,
                state.EpochCorrect,
                state.EpochSamples,
                setup.Data.Train.Task == Nn.Data.TaskKind.Classification,
                EpochClose.Score(evaluator, setup.Data.Validation),
                EpochClose.Score(evaluator, setup.Data.Test)) with
            { TrainSeconds = trainSeconds, TrainSamples = samplesHere };
            var next = EpochClose.Apply(state, report, setup.Settings.Training.EarlyStopping, snapshot.Parameters);
            setup.SaveCheckpoint(snapshot.Parameters, snapshot.OptimizerSteps, snapshot.OptimizerState, next);
            return new EpochEvaluated(report, next, snapshot.Parameters);
        }).PipeTo(Self);
    }

    private void OnEpochEvaluated(EpochEvaluated evaluated)
    {
        _evaluating = false;
        _state = evaluated.State;
        _options.Observer?.EpochCompleted(evaluated.Report);
        if (_interrupted)
        {
            Fail($"interrupted by a signal; the checkpoint holds the end of epoch {_state.Epoch}");
            return;
        }

        if (_state.Epoch < _options.Setup.Settings.Training.Epochs && !_state.StoppedEarly && !_finishing)
        {
            _epochSamplesHere = 0;
            _epochClock.Restart();
            _server.Tell(ParameterServerCommands.Proceed.Instance);
            return;
        }

        Finish(evaluated.Parameters);
    }

    private void Finish(float[]? last = null)
    {
        _finishing = true;
        var setup = _options.Setup;
        var state = _state;
        var evaluationParameters = _evaluationParameters;
        var parameters = state.BestParameters is { } best && setup.Settings.Training.EarlyStopping.RestoreBest ? best : last ?? setup.Parameters;
        Serially(() =>
        {
            parameters.CopyTo(evaluationParameters, 0);
            ModelFile.Save(setup.ModelPath, setup.Model(parameters));
            using var gemm = new GemmEngine(new GemmOptions { Threads = 1 });
            var test = setup.Data.Test is null ? null : new Evaluator(new Network(setup.Spec, evaluationParameters, gemm)).Evaluate(setup.Data.Test);
            return new JobEnded(test, null);
        }).PipeTo(Self);
    }

    /// <summary>
    /// SIGTERM or Ctrl+C (docker stop, a scheduler's eviction): a running job stops at the step in
    /// flight and checkpoints it, so <c>--resume</c> loses nothing that was applied.
    /// </summary>
    private void OnInterrupt()
    {
        if (_finishing || _interrupted)
        {
            // The job is ending already (and writing its model or checkpoint): let it.
            return;
        }

        if (!_started)
        {
            _interrupted = true;
            Fail("interrupted by a signal before the job started; the last checkpoint stays");
            return;
        }

        _interrupted = true;
        Log("interrupted: stopping at the step in flight and writing a checkpoint");
        if (!_evaluating)
        {
            _server.Tell(ParameterServerCommands.Halt.Instance);
        }

        Timers.StartSingleTimer(nameof(HaltTimedOut), HaltTimedOut.Instance, TimeSpan.FromSeconds(20));
    }

    private Task<T> Serially<T>(Func<T> work)
    {
        var next = _writing.ContinueWith(_ => work(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        _writing = next;
        return next;
    }

    /// <summary>
    /// Ends the job as failed. Also while it is finishing: the end-of-job work itself may be what
    /// failed, and of two JobEnded messages the first is taken and the other ignored.
    /// </summary>
    private void Fail(string reason)
    {
        _log.Error(reason);
        _finishing = true;
        Self.Tell(new JobEnded(null, reason));
    }

    private void OnJobEnded(JobEnded ended)
    {
        bool completed = ended.Failure is null;
        if (!(_interrupted && _options.Standbys))
        {
            foreach (var worker in _roster.Workers)
            {
                worker.Tell(new WorkerProtocol.JobFinished(_jobId, completed));
            }

            TellStandbys(new WorkerProtocol.JobFinished(_jobId, completed));
            if (_options.Cluster.Exchange.Servers > 1)
            {
                _server.Tell(new ServerGroupCommands.JobOver(completed));
            }
        }
        else
        {
            Log("interrupted with standby coordinators: the workers stay for the one that takes the job over");
        }

        var training = TrainingSummary.From(_options.Setup, _state, completed, ended.Test, _wall.Elapsed.TotalSeconds);
        Log(completed ? $"job {_jobId} finished: {training.Epochs} epochs, {training.Steps} steps" : $"job {_jobId} failed: {ended.Failure}");
        double allocated = _allocationSteps > 0 ? (double)_allocatedInSteps / _allocationSteps : 0;
        var rejections = _rejections;
        if (_lane is { RefusedConnections: > 0 } lane)
        {
            // Lane connections closed for a bad frame or a foreign message count with the gradients.
            rejections = new Dictionary<string, long>(_rejections) { ["lane-protocol"] = lane.RefusedConnections };
        }

        Timers.Cancel(WorkerTableTimer);
        _options.Finished(new ClusterSummary(training, _peakWorkers, _closed, rejections, allocated, Breakdown(), ended.Failure, _traffic));
        Become(Over);
    }

    /// <summary>Tells the other coordinator nodes' standby actors, so that they end with the job.</summary>
    private void TellStandbys(WorkerProtocol.JobFinished finished)
    {
        if (!_options.Standbys)
        {
            return;
        }

        foreach (var member in _cluster.State.Members.Where(m => m.HasRole("coordinator") && !m.Address.Equals(_cluster.SelfAddress)))
        {
            Context.ActorSelection(new RootActorPath(member.Address) / "user" / CoordinatorStandby.Name).Tell(finished);
        }
    }

    private StepBreakdown? Breakdown()
    {
        long n = _timedSteps - 1;
        if (n < 1)
        {
            return null;
        }

        // Evaluation pauses between epochs are inside the wall and CPU spans; they are short next to an epoch.
        double wall = Stopwatch.GetElapsedTime(_timedSince).TotalMicroseconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuSince).TotalMicroseconds;
        return new StepBreakdown(wall / n, _sumBroadcast / n, _sumCompute / n, _sumTransfer / n, _sumApply / n, cpu / n);
    }

    private void Over()
    {
        Receive<CoordinatorProtocol.RegisterWorker>(_ => Sender.Tell(new WorkerProtocol.JobFinished(_jobId, true)));
        ReceiveAny(_ => { });
    }

    private string Describe(IActorRef worker) => _roster.IdOf(worker) ?? worker.Path.Address.ToString();

    private void Log(string line)
    {
        _log.Info(line);
        _options.Log?.Invoke(line);
    }

    /// <summary>Ends the job now: workers are released and the summary reports it incomplete.</summary>
    public sealed record Interrupt : INoSerializationVerificationNeeded
    {
        /// <summary>The single instance.</summary>
        public static readonly Interrupt Instance = new();

        private Interrupt()
        {
        }
    }

    private sealed record EpochEvaluated(EpochReport Report, TrainingState State, float[] Parameters);

    private sealed record JobEnded(EvaluationReport? Test, string? Failure);

    private sealed record WorkerTableDue
    {
        public static readonly WorkerTableDue Instance = new();
    }

    private sealed record HaltTimedOut
    {
        public static readonly HaltTimedOut Instance = new();
    }

    private sealed record CheckpointWritten
    {
        public static readonly CheckpointWritten Instance = new();
    }
}
