using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Backprop.Cluster.Configuration;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Exchange;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Worker;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Parameters;
using Backprop.Nn.Schedules;

namespace Backprop.Cluster.Sharding;

/// <summary>
/// One per <c>server</c>-role node. Finds the coordinator through cluster membership and offers
/// itself; given a shard, it takes in the shard's start values, builds the optimiser, and runs a
/// <see cref="ParameterServerActor"/> over the shard's range, which exchanges gradients and weights
/// with the workers directly. It passes the coordinator's roster and commands on to it, and the
/// workers shard 0 fixed for each step (the shard opens steps for those alone), and its snapshots
/// back in slices. It ends when the job does, or when the coordinator's node leaves.
/// </summary>
public sealed class ShardHostActor : ReceiveActor, IWithTimers
{
    /// <summary>The host actor's name on a server node.</summary>
    public const string Name = "shard-host";

    private readonly ShardHostOptions _options;
    private readonly string _serverId;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly CoordinatorFinder _finder;
    private IActorRef _group = ActorRefs.Nobody;
    private ShardProtocol.ShardOffer? _offer;

    // Read once from the offer: the job's settings, the parameter layout and the shard's optimiser.
    private Nn.Settings.BackpropSettings? _settings;
    private ParameterLayout? _layout;
    private Optimizer? _optimizer;
    private float[][] _buffers = [];
    private long[] _received = [];
    private int _count;
    private int _offset;
    private IActorRef _server = ActorRefs.Nobody;
    private long _stepsApplied;

    // On the lane: this node's listener, each worker's proxy on it, and the roster last told.
    private LaneServer? _lane;
    private readonly Dictionary<string, IActorRef> _laneProxies = new(StringComparer.Ordinal);
    private ShardProtocol.ShardWorkers? _roster;

    // Over Akka.Remote: each worker of the roster last told, by id, resolved once.
    private readonly Dictionary<string, IActorRef> _remoteWorkers = new(StringComparer.Ordinal);

    // Tensor bytes since the last snapshot, which carries them to the coordinator's summary.
    private WireTraffic _traffic;

    /// <summary>A host for this node.</summary>
    /// <param name="options">Whom it tells.</param>
    public ShardHostActor(ShardHostOptions options)
    {
        _options = options;
        _serverId = $"{_cluster.SelfAddress}#{Guid.NewGuid().ToString("N")[..8]}";
        _finder = new CoordinatorFinder(Context.System, Self, Timers, () => new ShardProtocol.RegisterServer(_serverId, WireVersion.Current, Build));
        Become(LookingForCoordinator);
    }

    /// <inheritdoc/>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of a host.</summary>
    /// <param name="options">Whom it tells.</param>
    /// <returns>The props.</returns>
    public static Props Props(ShardHostOptions options) => Akka.Actor.Props.Create(() => new ShardHostActor(options));

    /// <inheritdoc/>
    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        _finder.Start(_options.JoinTimeout);
    }

    /// <inheritdoc/>
    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _lane?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }

    private void LookingForCoordinator()
    {
        Receive<ClusterEvent.MemberUp>(up => _finder.OnMemberUp(up.Member));
        Receive<CoordinatorFinder.RegisterAgain>(_ => _finder.Register());
        Receive<ShardProtocol.ShardOffer>(OnOffer);
        Receive<CoordinatorFinder.GiveUp>(_ => Finish($"no coordinator took this server node within {_options.JoinTimeout}; is it running with backprop.cluster.exchange.servers above 1, and is --join right?"));
        Common();
    }

    private void Loading()
    {
        Receive<ShardProtocol.ShardTensor>(OnStartValues);
        Common();
    }

    private void Serving()
    {
        Receive<ShardProtocol.ShardWorkers>(w =>
        {
            _roster = w;
            ApplyRoster();
        });
        Receive<LaneEvents.Connected>(c =>
        {
            _laneProxies[c.WorkerId] = c.Proxy;
            _group.Tell(new ShardProtocol.ShardLaneChanged(_offer!.JobId, _offer.Shard, c.WorkerId, true, string.Empty));
            ApplyRoster();
        });
        Receive<LaneEvents.Lost>(l =>
        {
            _laneProxies.Remove(l.WorkerId);
            _group.Tell(new ShardProtocol.ShardLaneChanged(_offer!.JobId, _offer.Shard, l.WorkerId, false, l.Reason));
            ApplyRoster();
        });
        Receive<ShardProtocol.ShardStepWorkers>(OnStepWorkers);
        Receive<ShardProtocol.ShardControl>(OnControl);
        Receive<ParameterServerCommands.StepApplied>(m =>
        {
            _stepsApplied++;
            _traffic += m.Traffic;
        });
        Receive<ParameterServerCommands.WorkerMissedSteps>(_ => { });
        Receive<ParameterServerCommands.Snapshot>(OnSnapshot);
        Common();
    }

    private void Common()
    {
        Receive<WorkerProtocol.Refused>(r => Finish($"the coordinator refused this server node: {r.Reason}"));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.Address.Equals(_finder.Coordinator))
            {
                Finish("the coordinator's node left the cluster; this server node's shard is of no use without it (the job resumes from its checkpoint with fresh server nodes)");
            }
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<CoordinatorFinder.RegisterAgain>(_ => { });
        Receive<CoordinatorFinder.GiveUp>(_ => { });
        Receive<ShardProtocol.ShardOffer>(_ => { });
        Receive<ShardProtocol.ShardStepWorkers>(_ => { });
        Receive<ShardProtocol.ShardTensor>(t => t.Slice.Release());
    }

    private void OnOffer(ShardProtocol.ShardOffer offer)
    {
        _finder.Answered(Sender.Path.Address);
        _group = Sender;
        _offer = offer;
        _layout = new ParameterLayout([.. offer.Widths]);
        (_offset, _count) = new ShardPlan(_layout.Length, offer.Shards).Range(offer.Shard);
        _settings = SettingsReader.LoadText(offer.ConfigText, $"job {offer.JobId}");
        _optimizer = new Optimizer(_settings.Optimizer, _layout, _settings.Training.FreezeLayers);
        int buffers = 1 + _optimizer.State.Count;
        _buffers = [.. Enumerable.Range(0, buffers).Select(_ => new float[_layout.Length])];
        _received = new long[buffers];
        Log($"holding shard {offer.Shard} of {offer.Shards} [{_offset}, +{_count}) of job {offer.JobId}; taking in its start values");
        Become(Loading);
    }

    private void OnStartValues(ShardProtocol.ShardTensor tensor)
    {
        try
        {
            var slice = tensor.Slice;
            if (tensor.JobId != _offer!.JobId || (uint)tensor.Buffer >= (uint)_buffers.Length || slice.TotalLength != _buffers[0].Length
                || slice.Offset < _offset || (long)slice.Offset + slice.Count > _offset + _count)
            {
                _log.Warning("Ignored a start-value slice [{0}, +{1}) of buffer {2}: outside shard [{3}, +{4}).", slice.Offset, slice.Count, tensor.Buffer, _offset, _count);
                return;
            }

            slice.Values.CopyTo(_buffers[tensor.Buffer].AsSpan(slice.Offset, slice.Count));
            _received[tensor.Buffer] += slice.Count;
        }
        finally
        {
            tensor.Slice.Release();
        }

        if (_received.All(r => r >= _count))
        {
            StartShard();
        }
    }

    private void StartShard()
    {
        var offer = _offer!;
        var settings = _settings!;
        var layout = _layout!;
        var optimizer = _optimizer!;
        optimizer.Restore(offer.OptimizerSteps, _buffers[1..]);
        var schedule = new LearningRateSchedule(settings.Schedule, settings.Optimizer.LearningRate, offer.BatchesPerEpoch, (long)offer.BatchesPerEpoch * settings.Training.Epochs);
        var setup = new ParameterServerSetup(
            offer.JobId,
            _buffers[0],
            optimizer,
            schedule,
            offer.BatchesPerEpoch,
            offer.Epoch,
            offer.Batch,
            offer.Step,
            settings.Training.CheckpointEvery,
            offer.SliceBytes,
            TimeSpan.FromMilliseconds(offer.StepTimeoutMillis),
            Self,
            MaxMissedSteps: int.MaxValue,
            Buckets: GradientBuckets.Plan(layout, offer.Exchange.BucketBytes),
            Compression: offer.Exchange.Compression,
            Shards: new ShardPlan(layout.Length, offer.Shards),
            Shard: offer.Shard);
        _server = Context.ActorOf(ParameterServerActor.Props(setup), "parameter-server");
        if (offer.Lane)
        {
            // The workers' tensors for this shard come and go on a lane of this node's own.
            try
            {
                _lane = LaneServer.Start(Context.System, _options.LaneHost, _options.LanePort, offer.JobId, _server, Self, offer.SliceBytes + 4096, _options.Tls);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                Finish($"could not open this node's tensor lane on {_options.LaneHost}:{_options.LanePort} ({e.Message}); free the port or set backprop.cluster.lane-port to another (0: any free one)");
                return;
            }

            Log($"tensor lane listening on port {_lane.Port}{(_options.Tls is null ? string.Empty : " (mutual TLS)")}");
        }

        _group.Tell(new ShardProtocol.ShardReady(offer.JobId, offer.Shard, _lane is null ? string.Empty : _options.PublicHost, _lane?.Port ?? 0));
        Log($"shard {offer.Shard} ready at step {offer.Step}");
        Become(Serving);
    }

    /// <summary>
    /// Tells the shard the coordinator's roster, each worker by the ref its tensors go to: its actor
    /// over Akka.Remote, or its proxy on this node's lane (a worker whose lane to this node is down is
    /// left out; the coordinator, told of it, drops it from the steps too).
    /// </summary>
    private void ApplyRoster()
    {
        if (_roster is not { } workers || workers.JobId != _offer!.JobId || workers.WorkerIds.Count != workers.WorkerPaths.Count)
        {
            return;
        }

        if (_lane is null)
        {
            var provider = ((ExtendedActorSystem)Context.System).Provider;
            _remoteWorkers.Clear();
            for (int i = 0; i < workers.WorkerIds.Count; i++)
            {
                _remoteWorkers[workers.WorkerIds[i]] = provider.ResolveActorRef(workers.WorkerPaths[i]);
            }
        }

        var handles = new List<WorkerHandle>(workers.WorkerIds.Count);
        foreach (string id in workers.WorkerIds)
        {
            if (RefOf(id) is { } worker)
            {
                handles.Add(new WorkerHandle(id, worker));
            }
        }

        _server.Tell(new ParameterServerCommands.SetWorkers(handles));
    }

    /// <summary>The workers shard 0 fixed for a step, for this shard to open it with.</summary>
    private void OnStepWorkers(ShardProtocol.ShardStepWorkers step)
    {
        if (step.JobId == _offer!.JobId)
        {
            _server.Tell(new ParameterServerCommands.FollowStep(step.Step, step.WorkerIds));
        }
    }

    /// <summary>Where a worker's tensors go from this node: its proxy on this node's lane, or its actor over Akka.Remote; null when unknown or its lane is down.</summary>
    private IActorRef? RefOf(string workerId) =>
        (_lane is null ? _remoteWorkers : _laneProxies).GetValueOrDefault(workerId);

    private void OnControl(ShardProtocol.ShardControl control)
    {
        if (control.JobId != _offer!.JobId)
        {
            return;
        }

        switch (control.Command)
        {
            case ShardProtocol.ShardCommand.Proceed:
                _server.Tell(ParameterServerCommands.Proceed.Instance);
                break;
            case ShardProtocol.ShardCommand.Halt:
                _server.Tell(ParameterServerCommands.Halt.Instance);
                break;
            case ShardProtocol.ShardCommand.Finished:
                Finish(null, $"the job is finished ({_stepsApplied} steps applied here)");
                break;
            default:
                Finish("the coordinator ended the job early");
                break;
        }
    }

    private void OnSnapshot(ParameterServerCommands.Snapshot snapshot)
    {
        var offer = _offer!;
        float[][] buffers = [snapshot.Parameters, .. snapshot.OptimizerState];
        for (int buffer = 0; buffer < buffers.Length; buffer++)
        {
            foreach (var (sliceOffset, sliceCount) in TensorSlicing.Ranges(_count, _options.StateSliceBytes))
            {
                // The snapshot's arrays are copies of their own: they may be lent to the wire.
                _group.Tell(new ShardProtocol.ShardTensor(offer.JobId, snapshot.Step, buffer, TensorSlice.Borrow(buffers[buffer], _offset + sliceOffset, sliceCount)));
            }
        }

        _group.Tell(new ShardProtocol.ShardSnapshot(offer.JobId, offer.Shard, snapshot.Step, snapshot.EpochEnd, snapshot.Halted, snapshot.OptimizerSteps, _traffic.Down, _traffic.Up));
        _traffic = default;
    }

    private void Finish(string? failure, string? message = null)
    {
        if (failure is not null)
        {
            _log.Error("Server node gives up: {0}", failure);
        }

        Log(failure ?? message ?? "done");
        _options.Finished(failure);
        Become(Finished);
    }

    private void Finished() => ReceiveAny(m =>
    {
        if (m is ShardProtocol.ShardTensor t)
        {
            t.Slice.Release();
        }
    });

    private void Log(string line) => _options.Log?.Invoke(line);

    private static string Build => typeof(ShardHostActor).Assembly.GetName().Version?.ToString() ?? "unknown";
}
