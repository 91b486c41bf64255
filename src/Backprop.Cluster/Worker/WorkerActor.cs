using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using Backprop.Nn.Models;

namespace Backprop.Cluster.Worker;

/// <summary>
/// One per worker node. Finds the coordinator through cluster membership and registers (retrying
/// until the join timeout), prepares the offered job off the mailbox, then for every step assembles
/// the weights, computes its slice's gradient off the mailbox and sends it back in slices. Weights
/// of a newer step that arrive while it computes are staged and taken up as soon as it is free.
/// </summary>
public sealed class WorkerActor : ReceiveActor, IWithTimers
{
    /// <summary>The worker actor's name, so the coordinator's and tests' paths are fixed.</summary>
    public const string Name = "worker";

    private const string RegisterTimer = "register";
    private const string GiveUpTimer = "give-up";
    private const string ReconnectTimer = "reconnect";
    private readonly WorkerOptions _options;
    private readonly string _workerId;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly TensorAssembly _weights = new(0);
    private Address? _coordinator;
    private WorkerJob? _job;
    private float[] _staging = [];
    private Step? _staged;
    private Step? _computing;
    private IActorRef _server = ActorRefs.Nobody;
    private IActorRef _coordinatorRef = ActorRefs.Nobody;
    private WorkerProtocol.JobOffer? _offer;
    private int _sliceBytes;
    private bool _tookSlice;

    /// <summary>A worker for this node.</summary>
    /// <param name="options">How it computes and whom it tells.</param>
    public WorkerActor(WorkerOptions options)
    {
        _options = options;
        _workerId = $"{_cluster.SelfAddress}#{Guid.NewGuid().ToString("N")[..8]}";
        Become(LookingForCoordinator);
    }

    /// <inheritdoc/>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of a worker.</summary>
    /// <param name="options">How it computes and whom it tells.</param>
    /// <returns>The props.</returns>
    public static Props Props(WorkerOptions options) => Akka.Actor.Props.Create(() => new WorkerActor(options));

    /// <inheritdoc/>
    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));
        Timers.StartSingleTimer(GiveUpTimer, GiveUp.Instance, _options.JoinTimeout);
    }

    /// <inheritdoc/>
    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _job?.Dispose();
    }

    private void LookingForCoordinator()
    {
        Receive<ClusterEvent.MemberUp>(up => OnMemberUp(up.Member));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.UnreachableMember>(_ => { });
        Receive<RegisterAgain>(_ => Register());
        Receive<WorkerProtocol.JobOffer>(OnJobOffer);
        Receive<WorkerProtocol.Refused>(r => Finish($"the coordinator refused this worker: {r.Reason}"));
        Receive<GiveUp>(_ => Finish($"no coordinator answered within {_options.JoinTimeout}; is it running, and is --join right?"));
        Receive<ParameterServerProtocol.Weights>(w => w.Slice.Release());
    }

    private void Preparing()
    {
        Receive<Prepared>(p =>
        {
            _job = p.Job;
            _staging = new float[p.Job.Trainer.Parameters.Length];
            if (_offer!.LanePort > 0)
            {
                ConnectLane();
            }

            _coordinatorRef.Tell(new CoordinatorProtocol.WorkerReady(p.Job.JobId, p.Job.Fingerprint, p.Job.TrainSamples));
            Log($"ready: {p.Job.TrainSamples} training samples, data fingerprint {p.Job.Fingerprint:x16}{(_offer.LanePort > 0 ? $", tensors on the lane at {_offer.LaneHost}:{_offer.LanePort}" : string.Empty)}");
            Become(Working);
        });
        Receive<Status.Failure>(f =>
        {
            string reason = f.Cause is AggregateException { InnerException: { } inner } ? inner.Message : f.Cause.Message;
            _coordinatorRef.Tell(new CoordinatorProtocol.WorkerFailed(string.Empty, reason));
            Finish($"could not prepare the job: {reason}");
        });
        CommonWhileInJob();
    }

    private void Working()
    {
        Receive<ParameterServerProtocol.Weights>(OnWeights);
        Receive<SliceComputed>(OnSliceComputed);
        Receive<LaneEvents.Up>(up => Log($"tensor lane up ({up.Server.Path.Name})"));
        Receive<LaneEvents.Lost>(lost =>
        {
            Log($"tensor lane lost ({lost.Reason}); reconnecting");
            Timers.StartSingleTimer(ReconnectTimer, Reconnect.Instance, TimeSpan.FromSeconds(1));
        });
        Receive<Reconnect>(_ => ConnectLane());
        Receive<LaneFailed>(f =>
        {
            Log($"tensor lane connection failed ({f.Reason}); retrying");
            Timers.StartSingleTimer(ReconnectTimer, Reconnect.Instance, TimeSpan.FromSeconds(1));
        });
        Receive<Status.Failure>(f => throw new InvalidOperationException("Computing a gradient failed.", f.Cause));
        CommonWhileInJob();
    }

    private void CommonWhileInJob()
    {
        Receive<WorkerProtocol.JobFinished>(f => Finish(null, f.Completed ? "the job is finished" : "the coordinator ended the job early"));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.Address.Equals(_coordinator))
            {
                Log("the coordinator left the cluster; waiting for it to come back");
                Timers.StartSingleTimer(GiveUpTimer, GiveUp.Instance, _options.JoinTimeout);
            }
        });
        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (up.Member.HasRole("coordinator") && !up.Member.Address.Equals(_coordinator))
            {
                _coordinator = up.Member.Address;
                Timers.Cancel(GiveUpTimer);
            }
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.UnreachableMember>(_ => { });
        Receive<GiveUp>(_ => Finish($"the coordinator has been gone for {_options.JoinTimeout}; giving up"));
        Receive<RegisterAgain>(_ => { });
        Receive<WorkerProtocol.JobOffer>(_ => { });
        Receive<WorkerProtocol.Refused>(r => Finish($"the coordinator refused this worker: {r.Reason}"));
    }

    private void OnMemberUp(Member member)
    {
        if (member.HasRole("coordinator") && _coordinator is null)
        {
            _coordinator = member.Address;
            Register();
        }
    }

    private void Register()
    {
        if (_coordinator is null)
        {
            return;
        }

        Coordinator().Tell(new CoordinatorProtocol.RegisterWorker(_workerId, WireVersion.Current, Build, _options.Threads));
        Timers.StartSingleTimer(RegisterTimer, RegisterAgain.Instance, TimeSpan.FromSeconds(2));
    }

    private void OnJobOffer(WorkerProtocol.JobOffer offer)
    {
        Timers.Cancel(RegisterTimer);
        Timers.Cancel(GiveUpTimer);
        _coordinatorRef = Sender;
        _offer = offer;
        _sliceBytes = offer.LanePort > 0 ? _options.LaneSliceBytes : _options.SliceBytes;
        Log($"joined job {offer.JobId}; preparing the data");
        int threads = _options.Threads;
        Task.Run(() => new Prepared(WorkerJob.Prepare(offer.JobId, offer.ConfigText, threads))).PipeTo(Self);
        Become(Preparing);
    }

    private void OnWeights(ParameterServerProtocol.Weights w)
    {
        try
        {
            if (_job is null || w.JobId != _job.JobId || (_staged is { } s && w.Version < s.Version) || (_computing is { } c && w.Version <= c.Version))
            {
                return;
            }

            if (_staged is not { } staged || staged.Version != w.Version)
            {
                _staged = new Step(w.Version, w.Epoch, w.Batch, w.Rank, w.World);
                _weights.Reset(_staging.Length);
            }

            if (_weights.Add(w.Slice, _staging) != AssemblyOutcome.Accepted)
            {
                _log.Warning("Ignored a weights slice [{0}, +{1}) of step {2}.", w.Slice.Offset, w.Slice.Count, w.Version);
            }

            _server = Sender;
        }
        finally
        {
            w.Slice.Release();
        }

        StartIfReady();
    }

    private void StartIfReady()
    {
        if (_computing is not null || _staged is not { } step || !_weights.IsComplete)
        {
            return;
        }

        var job = _job!;
        _staging = job.Trainer.ExchangeParameters(_staging);
        _computing = step;
        _staged = null;

        // The task owns the trainer (replica, gradient, buffers) until SliceComputed comes back.
        Task.Run(() =>
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = job.Trainer.Compute(step.Version, step.Epoch, step.Batch, step.Rank, step.World);
            return new SliceComputed(step, result, (long)System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }).PipeTo(Self);
    }

    private void OnSliceComputed(SliceComputed done)
    {
        var gradient = _job!.Trainer.Gradient;
        var step = done.Step;
        foreach (var (offset, count) in TensorSlicing.Ranges(gradient.Length, _sliceBytes))
        {
            // No copy: the gradient buffer is rewritten only for the next step's weights, which come after
            // the server has this gradient (or has closed the step, when a late one is rejected as stale).
            var slice = TensorSlice.Borrow(gradient, offset, count);
            _server.Tell(new ParameterServerProtocol.Gradient(_job.JobId, step.Version, step.Rank, done.Result.Rows, done.Result.LossSum, done.Result.Correct, slice, done.Micros), Self);
        }

        if (!_tookSlice)
        {
            _tookSlice = true;
            Log($"first step {step.Version}: rank {step.Rank} of {step.World}, {done.Result.Rows} rows");
        }

        _computing = null;
        StartIfReady();
    }

    private void ConnectLane()
    {
        var offer = _offer!;
        var system = Context.System;
        var self = Self;
        string workerId = _workerId;
        int maxPayload = _options.LaneSliceBytes + 4096;
        LaneClient.ConnectAsync(system, offer.LaneHost, offer.LanePort, offer.JobId, workerId, self, maxPayload, _options.Tls)
            .ContinueWith(
                t => t.IsCompletedSuccessfully ? (object)new LaneEvents.Up(t.Result) : new LaneFailed(t.Exception?.GetBaseException().Message ?? "cancelled"),
                TaskScheduler.Default)
            .PipeTo(self);
    }

    private ActorSelection Coordinator() => Context.ActorSelection(new RootActorPath(_coordinator!) / "user" / CoordinatorActor.Name);

    private void Finish(string? failure, string? message = null)
    {
        if (failure is not null)
        {
            _log.Error("Worker gives up: {0}", failure);
        }

        Log(failure ?? message ?? "done");
        _options.Finished(failure);
        Become(Finished);
    }

    private void Finished()
    {
        ReceiveAny(m =>
        {
            if (m is ParameterServerProtocol.Weights w)
            {
                w.Slice.Release();
            }
        });
    }

    private void Log(string line) => _options.Log?.Invoke(line);

    private static string Build => typeof(WorkerActor).Assembly.GetName().Version?.ToString() ?? "unknown";

    private sealed record Step(long Version, int Epoch, int Batch, int Rank, int World);

    private sealed record Prepared(WorkerJob Job);

    private sealed record SliceComputed(Step Step, BatchResult Result, long Micros);

    private sealed record RegisterAgain
    {
        public static readonly RegisterAgain Instance = new();
    }

    private sealed record LaneFailed(string Reason);

    private sealed record Reconnect
    {
        public static readonly Reconnect Instance = new();
    }

    private sealed record GiveUp
    {
        public static readonly GiveUp Instance = new();
    }
}
