using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Exchange;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Sharding;
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

    private const string ReconnectTimer = "reconnect";
    private const string CoordinatorGoneTimer = "coordinator-gone";
    private readonly WorkerOptions _options;
    private readonly string _workerId;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly TensorAssembly _weights = new(0);
    private readonly CoordinatorFinder _finder;
    private WorkerJob? _job;
    private float[] _staging = [];
    private Step? _staged;
    private Step? _computing;

    // The step whose weights the replica holds, and the last step computed: with staleness s a worker
    // computes the steps after its weights' own, up to s of them, instead of waiting for new weights.
    private Step? _current;
    private long _lastComputed = -1;
    private int _staleness;
    private IActorRef[] _servers = [ActorRefs.Nobody];
    private ShardPlan? _shards;

    // The tensor lanes' host:port, by shard (one without sharding); empty over Akka.Remote.
    private string[] _lanes = [];
    private IActorRef _coordinatorRef = ActorRefs.Nobody;
    private WorkerProtocol.JobOffer? _offer;
    private int _sliceBytes;
    private bool _tookSlice;

    // With bucket-bytes above 0: sends the gradient during the backward pass.
    private BucketSender? _bucketSender;

    /// <summary>A worker for this node.</summary>
    /// <param name="options">How it computes and whom it tells.</param>
    public WorkerActor(WorkerOptions options)
    {
        _options = options;
        _workerId = $"{_cluster.SelfAddress}#{Guid.NewGuid().ToString("N")[..8]}";
        _finder = new CoordinatorFinder(Context.System, Self, Timers, () => new CoordinatorProtocol.RegisterWorker(_workerId, WireVersion.Current, Build, _options.Threads));
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
        _finder.Start(_options.JoinTimeout);
    }

    /// <inheritdoc/>
    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _job?.Dispose();
    }

    private void LookingForCoordinator()
    {
        Receive<ClusterEvent.MemberUp>(up => _finder.OnMemberUp(up.Member));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.UnreachableMember>(_ => { });
        Receive<CoordinatorFinder.RegisterAgain>(_ => _finder.Register());
        Receive<WorkerProtocol.JobOffer>(OnJobOffer);
        Receive<WorkerProtocol.Refused>(r => Finish($"the coordinator refused this worker: {r.Reason}"));
        Receive<CoordinatorFinder.GiveUp>(_ => Finish($"no coordinator answered within {_options.JoinTimeout}; is it running, and is --join right?"));
        Receive<ParameterServerProtocol.Weights>(w => w.Slice.Release());
    }

    private void Preparing()
    {
        Receive<Prepared>(p =>
        {
            _job = p.Job;
            _staging = new float[p.Job.Trainer.Parameters.Length];
            var exchange = _offer!.Exchange ?? ExchangeSettings.Default;
            var buckets = GradientBuckets.Plan(p.Job.Trainer.Layout, exchange.BucketBytes);
            _staleness = exchange.Staleness;

            // A sharded server: each bucket goes to the shard that owns it, whose weights come from it.
            _shards = exchange.Servers > 1 ? new ShardPlan(p.Job.Trainer.Parameters.Length, exchange.Servers) : null;
            buckets = _shards?.Cut(buckets) ?? buckets;
            _servers = new IActorRef[exchange.Servers];
            Array.Fill(_servers, ActorRefs.Nobody);
            _bucketSender = buckets.Bucketed ? new BucketSender(buckets, p.Job.Trainer.Gradient, _sliceBytes, p.Job.Encoder, detach: _staleness > 0, _shards) : null;
            if (_offer!.LanePort > 0)
            {
                // One lane per shard: shard 0's on the coordinator, the others' on their server nodes.
                _lanes = [$"{_offer.LaneHost}:{_offer.LanePort}", .. _offer.ShardLanes.Split(',', StringSplitOptions.RemoveEmptyEntries)];
                for (int shard = 0; shard < _lanes.Length; shard++)
                {
                    ConnectLane(shard);
                }
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
        Receive<LaneUp>(up => Log($"tensor lane up ({LaneName(up.Shard)})"));
        Receive<LaneEvents.Lost>(lost =>
        {
            int shard = Math.Max(0, Array.IndexOf(_lanes, lost.Endpoint));
            Log($"tensor lane lost ({LaneName(shard)}: {lost.Reason}); reconnecting");
            Timers.StartSingleTimer(ReconnectTimer + shard, new Reconnect(shard), TimeSpan.FromSeconds(1));
        });
        Receive<Reconnect>(r => ConnectLane(r.Shard));
        Receive<LaneFailed>(f =>
        {
            Log($"tensor lane connection failed ({LaneName(f.Shard)}: {f.Reason}); retrying");
            Timers.StartSingleTimer(ReconnectTimer + f.Shard, new Reconnect(f.Shard), TimeSpan.FromSeconds(1));
        });
        Receive<Status.Failure>(f => throw new InvalidOperationException("Computing a gradient failed.", f.Cause));
        CommonWhileInJob();
    }

    private void CommonWhileInJob()
    {
        Receive<WorkerProtocol.JobFinished>(f => Finish(null, f.Completed ? "the job is finished" : "the coordinator ended the job early"));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.Address.Equals(_finder.Coordinator))
            {
                // A node that is itself downed also hears of the others' removal as it shuts down, and
                // its own removal, which restarts it, follows within moments: only a node still running
                // after a pause has lost its coordinator.
                Timers.StartSingleTimer(CoordinatorGoneTimer, CoordinatorGone.Instance, TimeSpan.FromSeconds(1));
            }
        });
        Receive<CoordinatorGone>(_ =>
        {
            // With standby coordinators the job goes on under another one, as a new job from the last
            // checkpoint; a fresh node finds it the way a new worker would, with no state of the old
            // job to unwind.
            Log("the coordinator's node left the cluster; starting a fresh node to find the coordinator that takes over");
            _options.CoordinatorLost?.Invoke();
            Become(Finished);
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.UnreachableMember>(_ => { });
        // The finder's timers stop with the offer that led here; a worker whose coordinator leaves
        // starts a fresh node (CoordinatorGone), which has a join timeout of its own.
        Receive<CoordinatorFinder.GiveUp>(_ => { });
        Receive<CoordinatorFinder.RegisterAgain>(_ => { });
        Receive<WorkerProtocol.JobOffer>(_ => { });
        Receive<WorkerProtocol.Refused>(r => Finish($"the coordinator refused this worker: {r.Reason}"));
    }

    private void OnJobOffer(WorkerProtocol.JobOffer offer)
    {
        _finder.Answered(Sender.Path.Address);
        _coordinatorRef = Sender;
        _offer = offer;
        _sliceBytes = offer.LanePort > 0 ? _options.LaneSliceBytes : _options.SliceBytes;
        Log($"joined job {offer.JobId}; preparing the data");
        int threads = _options.Threads;
        Task.Run(() => new Prepared(WorkerJob.Prepare(offer.JobId, offer.ConfigText, threads, offer.Exchange ?? ExchangeSettings.Default))).PipeTo(Self);
        Become(Preparing);
    }

    private void OnWeights(ParameterServerProtocol.Weights w)
    {
        try
        {
            if (_job is null || w.JobId != _job.JobId || (_staged is { } s && w.Version < s.Version) || (_current is { } c && w.Version <= c.Version))
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

            _servers[_shards is null || w.Slice.Count == 0 ? 0 : _shards.ShardOf(w.Slice.Offset)] = Sender;
        }
        finally
        {
            w.Slice.Release();
        }

        StartIfReady();
    }

    private void StartIfReady()
    {
        if (_computing is not null)
        {
            return;
        }

        var job = _job!;
        if (_staged is { } staged && _weights.IsComplete)
        {
            if (_current is { } previous && (previous.Rank, previous.World) != (staged.Rank, staged.World))
            {
                // The roster changed: steps computed ahead on the old rank are void; start again at these weights' step.
                _lastComputed = Math.Min(_lastComputed, staged.Version - 1);
            }

            _staging = job.Trainer.ExchangeParameters(_staging);
            _current = staged;
            _staged = null;
        }

        if (NextStep() is not { } step)
        {
            return;
        }

        _computing = step;

        // The task owns the trainer (replica, gradient, buffers) and the bucket sender until SliceComputed comes back.
        var buckets = _bucketSender;
        buckets?.Begin(_servers, Self, job.JobId, step.Version, step.Rank, step.WeightsVersion, step.World);
        Task.Run(() =>
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = job.Trainer.Compute(step.Version, step.Epoch, step.Batch, step.Rank, step.World, buckets is null ? null : buckets.LayerDone);
            return new SliceComputed(step, result, (long)System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }).PipeTo(Self);
    }

    /// <summary>
    /// The step to compute next on the weights held: their own step, or with staleness the one after the
    /// last computed if it is at most s steps past them and in the same epoch (the roster assumed unchanged).
    /// </summary>
    private Step? NextStep()
    {
        if (_current is not { } current)
        {
            return null;
        }

        long target = Math.Max(current.Version, _lastComputed + 1);
        long ahead = target - current.Version;
        if (ahead == 0)
        {
            return current;
        }

        return ahead <= _staleness && current.Batch + ahead < _job!.Trainer.BatchesPerEpoch
            ? current with { Version = target, Batch = current.Batch + (int)ahead }
            : null;
    }

    private void OnSliceComputed(SliceComputed done)
    {
        var gradient = _job!.Trainer.Gradient;
        var step = done.Step;

        // Bucketed, the gradient went out during the backward pass; the last layer done sends the rest.
        _bucketSender?.LayerDone(0, done.Result);
        foreach (var (offset, count) in _bucketSender is null ? TensorSlicing.Ranges(gradient.Length, _sliceBytes) : [])
        {
            // No copy: the gradient buffer is rewritten only for the next step's weights, which come after
            // the server has this gradient (or has closed the step, when a late one is rejected as stale).
            // The encoder names the job's compression on the slice (top-k: sends its picked values).
            // With staleness the next step starts at once: the slice gets buffers of its own.
            var slice = _job.Encoder.Encode(gradient, offset, count);
            slice = _staleness > 0 ? slice.Detached() : slice;
            _servers[0].Tell(
                new ParameterServerProtocol.Gradient(_job.JobId, step.Version, step.Rank, done.Result.Rows, done.Result.LossSum, done.Result.Correct, slice, done.Micros, step.WeightsVersion, step.World),
                Self);
        }

        if (!_tookSlice)
        {
            _tookSlice = true;
            Log($"first step {step.Version}: rank {step.Rank} of {step.World}, {done.Result.Rows} rows");
        }

        _computing = null;
        _lastComputed = Math.Max(_lastComputed, step.Version);
        StartIfReady();
    }

    private void ConnectLane(int shard)
    {
        var offer = _offer!;
        var system = Context.System;
        var self = Self;
        string workerId = _workerId;
        int maxPayload = _options.LaneSliceBytes + 4096;
        string endpoint = _lanes[shard];
        int colon = endpoint.LastIndexOf(':');
        string host = endpoint[..colon];
        int port = int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        LaneClient.ConnectAsync(system, host, port, offer.JobId, workerId, self, maxPayload, _options.Tls)
            .ContinueWith(
                t => t.IsCompletedSuccessfully ? (object)new LaneUp(shard, t.Result) : new LaneFailed(shard, t.Exception?.GetBaseException().Message ?? "cancelled"),
                TaskScheduler.Default)
            .PipeTo(self);
    }

    private string LaneName(int shard) => _lanes.Length > 1 ? $"shard {shard} at {_lanes[shard]}" : _lanes[0];

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

    /// <summary>A step to compute: its version, batch and rank, and the version of the weights it is computed on.</summary>
    private sealed record Step(long Version, int Epoch, int Batch, int Rank, int World)
    {
        public long WeightsVersion { get; init; } = Version;
    }

    private sealed record Prepared(WorkerJob Job);

    private sealed record SliceComputed(Step Step, BatchResult Result, long Micros);

    private sealed record LaneUp(int Shard, IActorRef Server);

    private sealed record LaneFailed(int Shard, string Reason);

    private sealed record Reconnect(int Shard);

    private sealed record CoordinatorGone
    {
        public static readonly CoordinatorGone Instance = new();
    }
}
