using Akka.Actor;
using Akka.Event;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Exchange;
using Backprop.Cluster.Wire;
using Backprop.Nn.Training;

namespace Backprop.Cluster.ParameterServer;

/// <summary>
/// The synchronous step: opens step v for the ready workers (broadcasting the weights of v with each
/// one's rank), collects their gradient slices through <see cref="ParameterServerState"/>, and when
/// every worker of the step has answered — or left, or timed out — sums the gradients in rank order
/// and applies the optimiser off the mailbox, then opens v + 1. At an epoch end it hands a snapshot to
/// the coordinator and waits for it to say carry on.
/// </summary>
public sealed class ParameterServerActor : ReceiveActor, IWithTimers
{
    private const string StepTimer = "step-timeout";
    private readonly ParameterServerSetup _setup;
    private readonly ParameterServerState _state;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly float[] _sum;
    private readonly IReadOnlyList<(int Offset, int Count)> _ranges;
    private readonly Dictionary<string, int> _missedInARow = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerTally> _tallies = new(StringComparer.Ordinal);
    private List<WorkerHandle> _workers = [];
    private long _step;
    private int _epoch;
    private int _batch;
    private bool _waitingForWorkers;
    private long _lateGradients;
    private long _openedAt;
    private long _completedAt;
    private double _broadcastMicros;
    private bool _halting;
    private long _slowestCompute;

    // Tensor payload bytes of the step in flight: weights sent, gradient slices received.
    private long _bytesDown;
    private long _bytesUp;

    // Bucketed steps: each bucket is summed and applied off the mailbox as soon as it is in from every
    // worker, and its new weights go out for the next step at once.
    private readonly bool _bucketed;
    private readonly bool[] _bucketDispatched;
    private readonly bool[] _bucketDone;
    private int _bucketsApplied;
    private int _bucketsInFlight;
    private bool _stepBegun;
    private bool _nextDecided;
    private NextStep? _next;

    // A sharded server's shard 0 leads: it fixes the workers of every step and its group tells the other
    // shards, which follow, opening each step for exactly those workers in that rank order and never on
    // their own. Each shard sees roster changes at its own moment; left to itself one would open a step
    // for a worker another leaves out, the worker's ranks would disagree, and the shards would fall out
    // of step for good (every step then timing out). The leader fixes a step's workers as it opens the
    // step before, so that the word is at the other shards before they need it, a step later.
    private readonly bool _leads;
    private readonly bool _follows;
    private readonly Dictionary<long, IReadOnlyList<WorkerHandle>> _followed = [];
    private (long Step, IReadOnlyList<WorkerHandle> Workers)? _fixed;
    private bool _waitingForLeader;

    // With staleness, gradients of the next steps that arrive while this one is open wait here.
    private readonly List<(IActorRef Sender, ParameterServerProtocol.Gradient Gradient)> _ahead = [];

    // Each rank's compute time of the step in flight, for the per-worker timings of the run's metrics.
    private long[] _computeByRank = [];

    // Whether each rank's whole gradient of the step in flight has been counted in its tally. Reused
    // from step to step (resized only when the world changes): the tallies cost a step nothing.
    private bool[] _tallied = [];

    /// <summary>A parameter server for one job.</summary>
    /// <param name="setup">Its parameters, optimiser and position.</param>
    public ParameterServerActor(ParameterServerSetup setup)
    {
        _setup = setup;
        var buckets = setup.Buckets ?? GradientBuckets.Whole(setup.Parameters.Length);
        var (offset, count) = (0, setup.Parameters.Length);
        bool sharded = setup.Shards is { Shards: > 1 };
        if (sharded)
        {
            // One shard of K: only its range's buckets come here, and only its range's weights go out.
            (offset, count) = setup.Shards!.Range(setup.Shard);
            buckets = setup.Shards.Cut(buckets).Within(offset, count);
        }

        _state = new ParameterServerState(setup.JobId, setup.Parameters.Length, buckets, setup.BackupWorkers, setup.Staleness);

        // Clipping scales every element by the whole gradient's norm: nothing can move before all is in.
        // With backup workers, which gradients a step sums is known only when it closes.
        bool rangeWise = setup.Optimizer.Settings.ClipNorm == 0 && setup.BackupWorkers == 0 && setup.Staleness == 0;
        if (sharded && !rangeWise)
        {
            throw new ArgumentException("A shard of a sharded parameter server applies its range alone: it needs synchronous steps and no clip-norm.", nameof(setup));
        }

        _bucketed = (buckets.Bucketed || sharded) && rangeWise;
        _bucketDispatched = new bool[buckets.InSendOrder.Count];
        _bucketDone = new bool[buckets.InSendOrder.Count];
        _leads = sharded && setup.Shard == 0;
        _follows = sharded && setup.Shard > 0;
        _sum = new float[setup.Parameters.Length];
        _ranges = [.. TensorSlicing.Ranges(count, setup.SliceBytes).Select(r => (offset + r.Offset, r.Count))];
        _step = setup.Step;
        _epoch = setup.Epoch;
        _batch = setup.Batch;
        Become(Paused);
    }

    /// <inheritdoc/>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of a parameter server.</summary>
    /// <param name="setup">Its parameters, optimiser and position.</param>
    /// <returns>The props.</returns>
    public static Props Props(ParameterServerSetup setup) => Akka.Actor.Props.Create(() => new ParameterServerActor(setup));

    /// <summary>Before the start and at each epoch end: waiting for the coordinator.</summary>
    private void Paused()
    {
        Receive<ParameterServerCommands.SetWorkers>(m => SetWorkers(m));
        Receive<ParameterServerCommands.Proceed>(_ => OpenStep());
        Receive<ParameterServerCommands.FollowStep>(OnFollowStep);
        Receive<ParameterServerCommands.Halt>(_ => HaltNow());
        Receive<ParameterServerProtocol.Gradient>(RejectOutOfStep);
        Receive<ParameterServerCommands.ReportWorkers>(_ => ReportWorkers());
    }

    /// <summary>A step is open: gradients flow in.</summary>
    private void Collecting()
    {
        Receive<ParameterServerProtocol.Gradient>(g => OnGradient(Sender, g));
        Receive<ParameterServerCommands.ReportWorkers>(_ => ReportWorkers());
        Receive<ParameterServerCommands.SetWorkers>(m =>
        {
            var gone = SetWorkers(m);
            foreach (string id in gone)
            {
                if (_state.Drop(id))
                {
                    _log.Warning("Worker {0} left during step {1}: the step closes without its gradient.", id, _state.Version);
                }
            }

            if (_waitingForWorkers && _workers.Count > 0)
            {
                OpenStep();
            }
            else
            {
                CloseIfComplete();
            }
        });
        Receive<ParameterServerCommands.FollowStep>(OnFollowStep);
        Receive<BucketApplied>(OnBucketApplied);
        Receive<Status.Failure>(f => throw new InvalidOperationException($"Applying a bucket of step {_state.Version} failed.", f.Cause));
        Receive<ParameterServerCommands.Halt>(_ =>
        {
            if (_state.IsOpen && _bucketed && _bucketDispatched.Any(d => d))
            {
                // Part of the step is applied: stopping now would leave weights of two versions. The
                // step still closes (its gradients arrive or time out), and the server halts after it.
                _halting = true;
                return;
            }

            Timers.Cancel(StepTimer);
            if (_state.IsOpen)
            {
                _state.Abandon();
                _log.Info("Step {0} given up unapplied: the job is stopping.", _state.Version);
            }

            HaltNow();
        });
        Receive<StepTimedOut>(m =>
        {
            if (m.Version == _state.Version && _state.IsOpen)
            {
                var missing = _state.DropWaiting();
                _log.Warning("Step {0} timed out after {1}: closing without {2}.", m.Version, _setup.StepTimeout, string.Join(", ", missing));
                CountMisses(missing);
                CloseIfComplete();
            }
        });
    }

    /// <summary>The sum and the optimiser run off the mailbox; nothing touches the state meanwhile.</summary>
    private void Applying()
    {
        Receive<StepComputed>(OnStepComputed);

        // The tallies are the actor's, not the task's: reading them while it applies is safe.
        Receive<ParameterServerCommands.ReportWorkers>(_ => ReportWorkers());
        Receive<ParameterServerCommands.Halt>(_ => _halting = true);
        Receive<ParameterServerCommands.SetWorkers>(m => SetWorkers(m));
        Receive<ParameterServerCommands.FollowStep>(OnFollowStep);
        Receive<ParameterServerProtocol.Gradient>(RejectOutOfStep);
        Receive<Status.Failure>(f => throw new InvalidOperationException($"Applying step {_state.Version} failed.", f.Cause));
    }

    private void OpenStep()
    {
        if (RosterOf(_step) is not { } roster)
        {
            if (_follows)
            {
                // Shard 0 has not fixed this step's workers yet: the step opens when it has.
                _waitingForLeader = true;
            }
            else
            {
                _waitingForWorkers = true;
                _log.Warning("No worker is ready: step {0} waits for one.", _step);
            }

            Become(Collecting);
            return;
        }

        _waitingForLeader = false;
        _waitingForWorkers = false;
        BeginCollecting(roster);
        bool dropped = DropAbsent(roster);
        var parameters = _setup.Parameters;
        for (int rank = 0; rank < roster.Count; rank++)
        {
            if (CurrentRef(roster[rank]) is not { } worker)
            {
                continue;
            }

            foreach (var (offset, count) in _ranges)
            {
                // No copy: the parameters do not change until every worker of the step has answered or
                // been dropped, and a dropped worker's late gradient is rejected as stale anyway. With
                // staleness a step may close before a worker has its weights: those are copied. With bf16
                // or fp16 the wire rounds what it sends; the float32 master weights stay as they are.
                var slice = WeightsSlice(parameters, offset, count);
                _bytesDown += slice.PayloadBytes;
                worker.Tell(new ParameterServerProtocol.Weights(_setup.JobId, _step, _epoch, _batch, rank, roster.Count, slice), Self);
            }
        }

        _broadcastMicros = System.Diagnostics.Stopwatch.GetElapsedTime(_openedAt).TotalMicroseconds;

        // After the broadcast: taking them may close the step and start changing the parameters.
        TakeKeptGradients();
        if (dropped)
        {
            CloseIfComplete();
        }
    }

    /// <summary>Opens step <see cref="_step"/> in the state for <paramref name="roster"/>, whose weights are (being) sent.</summary>
    private void BeginCollecting(IReadOnlyList<WorkerHandle> roster)
    {
        _openedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _slowestCompute = 0;
        _computeByRank = new long[roster.Count];
        if (_tallied.Length != roster.Count)
        {
            _tallied = new bool[roster.Count];
        }
        else
        {
            Array.Clear(_tallied);
        }

        Array.Clear(_bucketDispatched);
        Array.Clear(_bucketDone);
        _bucketsApplied = 0;
        _bucketsInFlight = 0;
        _stepBegun = false;
        _nextDecided = false;
        _next = null;
        _state.Open(_step, [.. roster.Select(w => w.WorkerId)]);
        Timers.StartSingleTimer(StepTimer, new StepTimedOut(_step), _setup.StepTimeout);
        Become(Collecting);
        if (_leads)
        {
            RosterOf(_step + 1);
        }
    }

    /// <summary>
    /// The workers of <paramref name="step"/>, in rank order, or null while there are none (or, for a
    /// following shard, while shard 0 has not said). One server takes its roster as it is; shard 0 of a
    /// sharded one fixes it once, the first time it is asked (as it opens the step before), tells its
    /// group, and keeps to it; the other shards take what shard 0 fixed.
    /// </summary>
    private IReadOnlyList<WorkerHandle>? RosterOf(long step)
    {
        if (_follows)
        {
            return _followed.Remove(step, out var followed) ? followed : null;
        }

        if (_leads && _fixed is { } fixedRoster && fixedRoster.Step == step)
        {
            return fixedRoster.Workers;
        }

        if (_workers.Count == 0)
        {
            return null;
        }

        // The roster list is replaced, never changed, when the coordinator sends a new one: it can be kept.
        if (_leads)
        {
            _fixed = (step, _workers);
            _setup.Coordinator.Tell(new ParameterServerCommands.StepWorkers(step, [.. _workers.Select(w => w.WorkerId)]));
        }

        return _workers;
    }

    /// <summary>With staleness, keeps a gradient of a step after the one in flight (within the bound) for when it opens.</summary>
    private bool KeptForLater(IActorRef sender, ParameterServerProtocol.Gradient gradient)
    {
        if (_setup.Staleness == 0 || gradient.JobId != _setup.JobId || gradient.Version <= _state.Version || gradient.Version > _state.Version + _setup.Staleness)
        {
            return false;
        }

        _ahead.Add((sender, gradient));
        return true;
    }

    /// <summary>Takes in the kept gradients of the step just opened; drops those of steps now past.</summary>
    private void TakeKeptGradients()
    {
        if (_ahead.Count == 0)
        {
            return;
        }

        long version = _state.Version;
        var due = _ahead.Where(a => a.Gradient.Version <= version).ToList();
        _ahead.RemoveAll(a => a.Gradient.Version <= version);
        foreach (var (sender, gradient) in due)
        {
            // Taking one may close the step and open the next, which takes its own: what is left here
            // is then judged against the newer step, and rejected as stale.
            OnGradient(sender, gradient);
        }
    }

    private void ReleaseKeptGradients()
    {
        foreach (var (_, gradient) in _ahead)
        {
            gradient.Slice.Release();
        }

        _ahead.Clear();
    }

    private void OnGradient(IActorRef sender, ParameterServerProtocol.Gradient gradient)
    {
        if (KeptForLater(sender, gradient))
        {
            return;
        }

        _bytesUp += gradient.Slice.WireBytes;
        var verdict = default(GradientVerdict);
        try
        {
            string? worker = _workers.FirstOrDefault(w => w.Ref.Equals(sender))?.WorkerId;
            verdict = worker is null
                ? _state.Accept($"unknown sender {sender.Path}", gradient)
                : _state.Accept(worker, gradient);
            if (verdict.Accepted)
            {
                _missedInARow.Remove(worker ?? string.Empty);
                _slowestCompute = Math.Max(_slowestCompute, gradient.ComputeMicros);
                if ((uint)gradient.Rank < (uint)_computeByRank.Length)
                {
                    _computeByRank[gradient.Rank] = Math.Max(_computeByRank[gradient.Rank], gradient.ComputeMicros);
                }

                Tally(worker!, gradient);
            }
            else
            {
                // A backup worker's late gradient is the mode working as designed, not a fault.
                if (verdict.Reason == "late")
                {
                    _log.Debug("Rejected ({0}): {1}.", verdict.Reason, verdict.Detail);
                }
                else
                {
                    _log.Warning("Rejected ({0}): {1}.", verdict.Reason, verdict.Detail);
                }
                if (worker is not null)
                {
                    TallyOf(worker).Rejected();
                }
            }
        }
        finally
        {
            if (!verdict.Kept)
            {
                gradient.Slice.Release();
            }
        }

        CloseIfComplete();
    }

    /// <summary>
    /// Where a worker of a step fixed earlier gets its weights now: its ref in the roster as it is (a
    /// lane that reconnected has a new proxy), or null once it has left it or this node cannot reach it.
    /// </summary>
    private IActorRef? CurrentRef(WorkerHandle worker)
    {
        foreach (var present in _workers)
        {
            if (present.WorkerId == worker.WorkerId)
            {
                return present.Ref;
            }
        }

        return null;
    }

    /// <summary>Takes the new roster; returns the workers that left it.</summary>
    private List<string> SetWorkers(ParameterServerCommands.SetWorkers m)
    {
        var gone = _workers.Select(w => w.WorkerId).Except(m.Workers.Select(w => w.WorkerId)).ToList();
        _workers = [.. m.Workers];
        foreach (string id in gone)
        {
            _missedInARow.Remove(id);
        }

        return gone;
    }

    private void CountMisses(IReadOnlyList<string> missing)
    {
        foreach (string id in missing)
        {
            int missed = _missedInARow[id] = _missedInARow.GetValueOrDefault(id) + 1;
            if (missed >= _setup.MaxMissedSteps)
            {
                _missedInARow.Remove(id);
                _setup.Coordinator.Tell(new ParameterServerCommands.WorkerMissedSteps(id, missed));
            }
        }
    }

    private void CloseIfComplete()
    {
        if (_bucketed)
        {
            DispatchReadyBuckets();
            return;
        }

        if (!_state.IsComplete)
        {
            return;
        }

        Timers.Cancel(StepTimer);
        _completedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        long version = _state.Version;
        double rate = _setup.Schedule.Rate(version);
        var state = _state;
        var sum = _sum;
        var optimizer = _setup.Optimizer;
        var parameters = _setup.Parameters;
        int world = state.Workers.Count;

        // The task owns the state, the sum and the parameters until StepComputed comes back.
        Task.Run(() =>
        {
            var totals = state.Close(sum);
            if (totals.Samples > 0)
            {
                optimizer.Step(parameters, sum, totals.Samples, rate);
            }

            return new StepComputed(version, totals, rate, world);
        }).PipeTo(Self);
        Become(Applying);
    }

    /// <summary>Starts summing and applying, off the mailbox, every bucket that is in from every worker.</summary>
    private void DispatchReadyBuckets()
    {
        long version = _state.Version;
        double rate = _setup.Schedule.Rate(version);
        var buckets = _state.Buckets.InSendOrder;
        for (int b = 0; b < buckets.Count; b++)
        {
            if (_bucketDispatched[b] || !_state.BucketReady(b))
            {
                continue;
            }

            _bucketDispatched[b] = true;
            _bucketsInFlight++;
            var (gradients, samples) = _state.BucketContributions(b);
            if (samples > 0 && !_stepBegun)
            {
                _stepBegun = true;
                _setup.Optimizer.BeginStep();
            }

            if (_bucketsApplied + _bucketsInFlight == buckets.Count)
            {
                Timers.Cancel(StepTimer);
                _completedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            var bucket = buckets[b];
            int index = b;
            var sum = _sum;
            var optimizer = _setup.Optimizer;
            var parameters = _setup.Parameters;

            // Buckets are disjoint ranges of the sum, the parameters and the optimiser's state: tasks of
            // one step may run side by side.
            Task.Run(() =>
            {
                GradientSum.InRankOrder(gradients, bucket.Offset, sum.AsSpan(bucket.Offset, bucket.Count));
                if (samples > 0)
                {
                    optimizer.ApplyRange(parameters, sum, bucket.Offset, bucket.Count, samples, rate);
                }

                return new BucketApplied(version, index);
            }).PipeTo(Self);
        }
    }

    private void OnBucketApplied(BucketApplied applied)
    {
        _bucketsInFlight--;
        _bucketsApplied++;
        _bucketDone[applied.Bucket] = true;
        if (!_nextDecided)
        {
            DecideNext();
        }
        else if (_next is { } next)
        {
            var bucket = _state.Buckets.InSendOrder[applied.Bucket];
            BroadcastRange(next, bucket.Offset, bucket.Count);
        }

        if (_bucketsApplied < _bucketDispatched.Length)
        {
            return;
        }

        var totals = _state.Finish();
        int world = _state.Workers.Count;
        double rate = _setup.Schedule.Rate(applied.Version);
        AfterStep(new StepComputed(applied.Version, totals, rate, world), _next);
    }

    /// <summary>
    /// Decides, once, whether the next step's weights go out before this one closes, and sends those of
    /// the buckets applied so far: a worker must get every bucket of the next step or none. A following
    /// shard decides only once shard 0 has fixed the next step's workers (<see cref="OnFollowStep"/>).
    /// </summary>
    private void DecideNext()
    {
        if (_follows && !_halting && _batch + 1 < _setup.BatchesPerEpoch && !_followed.ContainsKey(_state.Version + 1))
        {
            return;
        }

        _nextDecided = true;
        _next = PlanNextStep();
        if (_next is not { } next)
        {
            return;
        }

        var buckets = _state.Buckets.InSendOrder;
        for (int b = 0; b < buckets.Count; b++)
        {
            if (_bucketDone[b])
            {
                BroadcastRange(next, buckets[b].Offset, buckets[b].Count);
            }
        }
    }

    /// <summary>
    /// The step after the one in flight, if its weights may go out before this one closes: not across
    /// an epoch end (the coordinator evaluates first), nor when stopping or with no worker.
    /// </summary>
    private NextStep? PlanNextStep()
    {
        if (_halting || _batch + 1 >= _setup.BatchesPerEpoch)
        {
            return null;
        }

        long version = _state.Version + 1;
        return RosterOf(version) is { } roster ? new NextStep(version, _epoch, _batch + 1, roster) : null;
    }

    /// <summary>
    /// A following shard takes shard 0's workers of a step: it opens the step if it waits for them, or
    /// lets the next step's weights go out if the step in flight is being applied.
    /// </summary>
    private void OnFollowStep(ParameterServerCommands.FollowStep follow)
    {
        if (!_follows || follow.Step < _step)
        {
            return;
        }

        // The refs are looked up again when weights go out (CurrentRef): these only carry the ids and ranks.
        _followed[follow.Step] = [.. follow.WorkerIds.Select(id => new WorkerHandle(id, ActorRefs.Nobody))];
        if (_waitingForLeader && follow.Step == _step)
        {
            OpenStep();
        }
        else if (_bucketed && _state.IsOpen && !_nextDecided && follow.Step == _state.Version + 1)
        {
            DecideNext();
        }
    }

    /// <summary>
    /// Opens a step whose workers were fixed earlier without those that left the roster since (a
    /// following shard's roster also lacks a worker whose lane to this node is down); whether any was dropped.
    /// </summary>
    private bool DropAbsent(IReadOnlyList<WorkerHandle> roster)
    {
        bool dropped = false;
        foreach (var worker in roster)
        {
            if (CurrentRef(worker) is null && _state.Drop(worker.WorkerId))
            {
                dropped = true;
                _log.Warning("Worker {0} left before step {1} opened: the step closes without its gradient.", worker.WorkerId, _state.Version);
            }
        }

        return dropped;
    }

    private void BroadcastRange(NextStep next, int offset, int count)
    {
        var parameters = _setup.Parameters;
        foreach (var (sliceOffset, sliceCount) in TensorSlicing.Ranges(count, _setup.SliceBytes))
        {
            for (int rank = 0; rank < next.Roster.Count; rank++)
            {
                if (CurrentRef(next.Roster[rank]) is not { } worker)
                {
                    continue;
                }

                // No copy: this range does not change again until every worker has sent its gradient
                // of the next step, which needs all of these weights first.
                var slice = WeightsSlice(parameters, offset + sliceOffset, sliceCount);
                _bytesDown += slice.PayloadBytes;
                worker.Tell(new ParameterServerProtocol.Weights(_setup.JobId, next.Version, next.Epoch, next.Batch, rank, next.Roster.Count, slice), Self);
            }
        }
    }

    /// <summary>
    /// A range of the weights to send: borrowed, or copied when a step may close before a worker has
    /// them (staleness); rounded on the wire with bf16 or fp16, the master weights staying float32.
    /// </summary>
    private TensorSlice WeightsSlice(float[] parameters, int offset, int count)
    {
        var slice = _setup.Staleness > 0 ? TensorSlice.Copy(parameters.Length, offset, parameters.AsSpan(offset, count)) : TensorSlice.Borrow(parameters, offset, count);
        return slice with { Encoding = TensorEncodings.ForWeights(_setup.Compression) };
    }

    private void OnStepComputed(StepComputed done) => AfterStep(done, planned: null);

    private void AfterStep(StepComputed done, NextStep? planned)
    {
        if (done.Totals.ShortHanded)
        {
            _log.Warning("Step {0} closed short-handed: {1} of {2} worker(s) contributed.", done.Version, done.Totals.Contributors, done.World);
        }

        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        var timing = new StepTiming(
            _broadcastMicros,
            System.Diagnostics.Stopwatch.GetElapsedTime(_openedAt, _completedAt).TotalMicroseconds,
            _slowestCompute,
            System.Diagnostics.Stopwatch.GetElapsedTime(_completedAt, now).TotalMicroseconds);
        int epoch = _epoch, batch = _batch;
        _step = done.Version + 1;
        _batch++;
        bool epochEnd = _batch == _setup.BatchesPerEpoch;
        bool periodic = _setup.CheckpointEvery > 0 && _step % _setup.CheckpointEvery == 0;
        _setup.Coordinator.Tell(new ParameterServerCommands.StepApplied(_step, epoch, batch, done.Totals, done.Rate, done.World, Rejections(), timing, epochEnd || periodic, _computeByRank, new WireTraffic(_bytesDown, _bytesUp)));
        _bytesDown = 0;
        _bytesUp = 0;
        if (epochEnd)
        {
            _epoch++;
            _batch = 0;
        }

        if (epochEnd || periodic)
        {
            _setup.Coordinator.Tell(TakeSnapshot(epochEnd, halted: false));
        }

        if (_halting)
        {
            HaltNow();
        }
        else if (epochEnd)
        {
            Become(Paused);
        }
        else if (planned is not null)
        {
            OpenPlanned(planned);
        }
        else
        {
            OpenStep();
        }
    }

    /// <summary>Opens a step whose weights went out bucket by bucket; workers gone since are dropped from it.</summary>
    private void OpenPlanned(NextStep next)
    {
        BeginCollecting(next.Roster);
        DropAbsent(next.Roster);

        // Its weights went out while the last step closed: no broadcast of its own.
        _broadcastMicros = 0;
        CloseIfComplete();
    }

    /// <summary>Hands the coordinator the last applied state and takes no more steps.</summary>
    private void HaltNow()
    {
        ReleaseKeptGradients();
        _setup.Coordinator.Tell(TakeSnapshot(epochEnd: false, halted: true));
        Become(Halted);
    }

    private ParameterServerCommands.Snapshot TakeSnapshot(bool epochEnd, bool halted) => new(
        _step, epochEnd, (float[])_setup.Parameters.Clone(), _setup.Optimizer.Steps, [.. _setup.Optimizer.State.Select(s => (float[])s.Clone())], halted);

    private void Halted()
    {
        Receive<ParameterServerProtocol.Gradient>(RejectOutOfStep);
        Receive<ParameterServerCommands.ReportWorkers>(_ => ReportWorkers());
        ReceiveAny(_ => { });
    }

    private Dictionary<string, long> Rejections()
    {
        var rejections = new Dictionary<string, long>(_state.Rejections);
        if (_lateGradients > 0)
        {
            rejections["stale"] = rejections.GetValueOrDefault("stale") + _lateGradients;
        }

        return rejections;
    }

    private void RejectOutOfStep(ParameterServerProtocol.Gradient gradient)
    {
        if (KeptForLater(Sender, gradient))
        {
            return;
        }

        gradient.Slice.Release();
        _lateGradients++;
        if (_workers.FirstOrDefault(w => w.Ref.Equals(Sender)) is { } worker)
        {
            TallyOf(worker.WorkerId).Rejected();
        }

        _log.Debug("Dropped a gradient slice of step {0} while no step was collecting.", gradient.Version);
    }

    /// <summary>Counts a worker's gradient once, when its last slice of the step is in.</summary>
    private void Tally(string worker, ParameterServerProtocol.Gradient gradient)
    {
        int rank = gradient.Rank;
        if ((uint)rank >= (uint)_tallied.Length || _tallied[rank] || !_state.HasArrived(rank))
        {
            return;
        }

        _tallied[rank] = true;
        double arrival = System.Diagnostics.Stopwatch.GetElapsedTime(_openedAt).TotalMicroseconds;
        TallyOf(worker).Arrived(gradient.Samples, arrival, _computeByRank[rank]);
    }

    private WorkerTally TallyOf(string worker)
    {
        if (!_tallies.TryGetValue(worker, out var tally))
        {
            tally = _tallies[worker] = new WorkerTally(worker);
        }

        return tally;
    }

    private void ReportWorkers() =>
        Sender.Tell(new ParameterServerCommands.WorkerReport([.. _tallies.Values.Select(t => t.Snapshot())]));

    private sealed record StepTimedOut(long Version);

    private sealed record StepComputed(long Version, StepTotals Totals, double Rate, int World);

    private sealed record BucketApplied(long Version, int Bucket);

    /// <summary>A step whose weights go out before the one in flight closes.</summary>
    private sealed record NextStep(long Version, int Epoch, int Batch, IReadOnlyList<WorkerHandle> Roster);
}
