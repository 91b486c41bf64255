using Akka.Actor;
using Akka.Event;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Wire;

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

    /// <summary>A parameter server for one job.</summary>
    /// <param name="setup">Its parameters, optimiser and position.</param>
    public ParameterServerActor(ParameterServerSetup setup)
    {
        _setup = setup;
        _state = new ParameterServerState(setup.JobId, setup.Parameters.Length);
        _sum = new float[setup.Parameters.Length];
        _ranges = TensorSlicing.Ranges(setup.Parameters.Length, setup.SliceBytes);
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
        Receive<ParameterServerCommands.Halt>(_ => HaltNow());
        Receive<ParameterServerProtocol.Gradient>(RejectOutOfStep);
    }

    /// <summary>A step is open: gradients flow in.</summary>
    private void Collecting()
    {
        Receive<ParameterServerProtocol.Gradient>(OnGradient);
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
        Receive<ParameterServerCommands.Halt>(_ =>
        {
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
        Receive<ParameterServerCommands.Halt>(_ => _halting = true);
        Receive<ParameterServerCommands.SetWorkers>(m => SetWorkers(m));
        Receive<ParameterServerProtocol.Gradient>(RejectOutOfStep);
        Receive<Status.Failure>(f => throw new InvalidOperationException($"Applying step {_state.Version} failed.", f.Cause));
    }

    private void OpenStep()
    {
        if (_workers.Count == 0)
        {
            _waitingForWorkers = true;
            _log.Warning("No worker is ready: step {0} waits for one.", _step);
            Become(Collecting);
            return;
        }

        _waitingForWorkers = false;
        _openedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _slowestCompute = 0;
        _state.Open(_step, [.. _workers.Select(w => w.WorkerId)]);
        var parameters = _setup.Parameters;
        for (int rank = 0; rank < _workers.Count; rank++)
        {
            foreach (var (offset, count) in _ranges)
            {
                // No copy: the parameters do not change until every worker of the step has answered or
                // been dropped, and a dropped worker's late gradient is rejected as stale anyway.
                var slice = TensorSlice.Borrow(parameters, offset, count);
                _workers[rank].Ref.Tell(new ParameterServerProtocol.Weights(_setup.JobId, _step, _epoch, _batch, rank, _workers.Count, slice), Self);
            }
        }

        _broadcastMicros = System.Diagnostics.Stopwatch.GetElapsedTime(_openedAt).TotalMicroseconds;
        Timers.StartSingleTimer(StepTimer, new StepTimedOut(_step), _setup.StepTimeout);
        Become(Collecting);
    }

    private void OnGradient(ParameterServerProtocol.Gradient gradient)
    {
        var verdict = default(GradientVerdict);
        try
        {
            string? worker = _workers.FirstOrDefault(w => w.Ref.Equals(Sender))?.WorkerId;
            verdict = worker is null
                ? _state.Accept($"unknown sender {Sender.Path}", gradient)
                : _state.Accept(worker, gradient);
            if (verdict.Accepted)
            {
                _missedInARow.Remove(worker ?? string.Empty);
                _slowestCompute = Math.Max(_slowestCompute, gradient.ComputeMicros);
            }
            else
            {
                _log.Warning("Rejected ({0}): {1}.", verdict.Reason, verdict.Detail);
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

    private void OnStepComputed(StepComputed done)
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
        _setup.Coordinator.Tell(new ParameterServerCommands.StepApplied(_step, epoch, batch, done.Totals, done.Rate, done.World, Rejections(), timing, epochEnd || periodic));
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
        else
        {
            OpenStep();
        }
    }

    /// <summary>Hands the coordinator the last applied state and takes no more steps.</summary>
    private void HaltNow()
    {
        _setup.Coordinator.Tell(TakeSnapshot(epochEnd: false, halted: true));
        Become(Halted);
    }

    private ParameterServerCommands.Snapshot TakeSnapshot(bool epochEnd, bool halted) => new(
        _step, epochEnd, (float[])_setup.Parameters.Clone(), _setup.Optimizer.Steps, [.. _setup.Optimizer.State.Select(s => (float[])s.Clone())], halted);

    private void Halted()
    {
        Receive<ParameterServerProtocol.Gradient>(RejectOutOfStep);
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
        gradient.Slice.Release();
        _lateGradients++;
        _log.Debug("Dropped a gradient slice of step {0} while no step was collecting.", gradient.Version);
    }

    private sealed record StepTimedOut(long Version);

    private sealed record StepComputed(long Version, StepTotals Totals, double Rate, int World);
}
