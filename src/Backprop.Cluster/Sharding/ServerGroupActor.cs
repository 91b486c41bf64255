using Akka.Actor;
using Akka.Event;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Sharding;

/// <summary>
/// A sharded parameter server as the coordinator sees it: one actor that takes the same commands as a
/// <see cref="ParameterServerActor"/> and answers with the same messages. It holds shard 0 as a child
/// and deals the other shards to the <c>server</c>-role nodes that register, sending each its range
/// of the start values. It holds the coordinator's first step back until every shard is built,
/// passes the roster and the commands on to every shard, passes the workers shard 0 fixes for each
/// step on to the others (which open each step for those alone), and gathers the shards' snapshots into one
/// of the whole model for the coordinator's checkpoints and evaluations.
/// </summary>
public sealed class ServerGroupActor : ReceiveActor, IWithTimers
{
    /// <summary>
    /// How long a server node may take to build its shard once offered it (the start values are a
    /// few hundred MB at most, sent in slices): past it the shard is dealt to the next server node.
    /// </summary>
    private static readonly TimeSpan ShardStartTimeout = TimeSpan.FromMinutes(2);

    private readonly ServerGroupSetup _setup;
    private readonly ShardPlan _plan;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef?[] _hosts;
    private readonly bool[] _ready;
    private readonly string[] _lanes;
    private readonly Dictionary<long, SnapshotGathering> _gathering = [];
    private IActorRef _local = ActorRefs.Nobody;
    private ParameterServerCommands.SetWorkers? _roster;
    private bool _proceedPending;
    private bool _allReady;
    private bool _over;

    /// <summary>A group for one job.</summary>
    /// <param name="setup">Shard 0's setup (with the plan) and what the other shards are sent.</param>
    public ServerGroupActor(ServerGroupSetup setup)
    {
        _setup = setup;
        _plan = setup.Server.Shards ?? throw new ArgumentException("A server group needs a shard plan.", nameof(setup));
        _hosts = new IActorRef?[_plan.Shards];
        _ready = new bool[_plan.Shards];
        _ready[0] = true;
        _lanes = new string[_plan.Shards];

        Receive<ShardProtocol.RegisterServer>(OnRegister);
        Receive<ShardStartTimedOut>(OnShardStartTimedOut);
        Receive<ShardProtocol.ShardReady>(OnShardReady);
        Receive<Terminated>(t => OnHostGone(t.ActorRef));
        Receive<ParameterServerCommands.SetWorkers>(OnSetWorkers);
        Receive<ParameterServerCommands.Proceed>(_ =>
        {
            _proceedPending = true;
            ProceedIfReady();
        });
        Receive<ParameterServerCommands.Halt>(m =>
        {
            _local.Tell(m);
            TellRemotes(new ShardProtocol.ShardControl(_setup.Server.JobId, ShardProtocol.ShardCommand.Halt));
        });
        Receive<ParameterServerCommands.ReportWorkers>(m => _local.Forward(m));

        // Shard 0's gradients from the coordinator's tensor lane, which delivers them here.
        Receive<ParameterServerProtocol.Gradient>(g => _local.Forward(g));
        Receive<ParameterServerCommands.StepApplied>(m => _setup.Server.Coordinator.Tell(m));
        Receive<ParameterServerCommands.WorkerMissedSteps>(m => _setup.Server.Coordinator.Tell(m));

        // Shard 0 leads: the other shards open each step for the workers it fixed.
        Receive<ParameterServerCommands.StepWorkers>(m => TellRemotes(new ShardProtocol.ShardStepWorkers(_setup.Server.JobId, m.Step, m.WorkerIds)));
        Receive<ParameterServerCommands.Snapshot>(OnLocalSnapshot);
        Receive<ShardProtocol.ShardTensor>(OnSnapshotTensor);
        Receive<ShardProtocol.ShardSnapshot>(OnRemoteSnapshot);
        Receive<ShardProtocol.ShardLaneChanged>(c =>
        {
            if (c.JobId == _setup.Server.JobId && (uint)c.Shard < (uint)_hosts.Length && Sender.Equals(_hosts[c.Shard]))
            {
                _setup.Server.Coordinator.Tell(new ServerGroupCommands.ShardLane(c.WorkerId, c.Shard, c.Connected, c.Reason));
            }
        });
        Receive<ServerGroupCommands.JobOver>(m =>
        {
            _over = true;
            TellRemotes(new ShardProtocol.ShardControl(_setup.Server.JobId, m.Completed ? ShardProtocol.ShardCommand.Finished : ShardProtocol.ShardCommand.Ended));
        });
    }

    /// <inheritdoc/>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The props of a group.</summary>
    /// <param name="setup">Its setup.</param>
    /// <returns>The props.</returns>
    public static Props Props(ServerGroupSetup setup) => Akka.Actor.Props.Create(() => new ServerGroupActor(setup));

    /// <inheritdoc/>
    protected override void PreStart()
    {
        _local = Context.ActorOf(ParameterServerActor.Props(_setup.Server with { Coordinator = Self }), "shard-0");
        var (offset, count) = _plan.Range(0);
        Log($"parameter server sharded {_plan.Shards} ways: this node holds shard 0 [{offset}, +{count}); waiting for {_plan.Shards - 1} server node(s) (backprop server --join)");
    }

    private void OnRegister(ShardProtocol.RegisterServer register)
    {
        if (Array.IndexOf(_hosts, Sender) >= 0)
        {
            return; // a repeated registration while its offer was on the way
        }

        if (register.WireVersion != WireVersion.Current)
        {
            Sender.Tell(new WorkerProtocol.Refused($"the server node speaks wire version {register.WireVersion} (build {register.Build}); this coordinator speaks {WireVersion.Current}. Run the same backprop version on every node."));
            Log($"refused server node {register.ServerId}: wire version {register.WireVersion}");
            return;
        }

        int shard = Array.FindIndex(_hosts, 1, h => h is null);
        if (shard < 0)
        {
            Sender.Tell(new WorkerProtocol.Refused($"the job's {_plan.Shards - 1} server node(s) are all in place (backprop.cluster.exchange.servers = {_plan.Shards})."));
            Log($"refused server node {register.ServerId}: every shard is held");
            return;
        }

        _hosts[shard] = Sender;
        Context.Watch(Sender);
        Timers.StartSingleTimer(StartTimer(shard), new ShardStartTimedOut(shard, Sender), ShardStartTimeout);
        var (offset, count) = _plan.Range(shard);
        Log($"server node {register.ServerId} holds shard {shard} [{offset}, +{count}); sending its start values");
        var server = _setup.Server;
        Sender.Tell(new ShardProtocol.ShardOffer(
            server.JobId,
            _setup.ConfigText,
            shard,
            _plan.Shards,
            _setup.Widths,
            server.BatchesPerEpoch,
            server.Step,
            server.Epoch,
            server.Batch,
            server.Optimizer.Steps,
            _setup.Exchange,
            server.SliceBytes,
            (long)server.StepTimeout.TotalMilliseconds,
            _setup.Lane));

        // No copy: shard 0 never writes outside its own range, so these values stay as they are.
        float[][] buffers = [server.Parameters, .. server.Optimizer.State];
        for (int buffer = 0; buffer < buffers.Length; buffer++)
        {
            foreach (var (sliceOffset, sliceCount) in TensorSlicing.Ranges(count, _setup.StateSliceBytes))
            {
                Sender.Tell(new ShardProtocol.ShardTensor(server.JobId, server.Step, buffer, TensorSlice.Borrow(buffers[buffer], offset + sliceOffset, sliceCount)));
            }
        }
    }

    private void OnShardReady(ShardProtocol.ShardReady ready)
    {
        if (ready.JobId != _setup.Server.JobId || (uint)ready.Shard >= (uint)_hosts.Length || !Sender.Equals(_hosts[ready.Shard]))
        {
            return;
        }

        if (_setup.Lane && ready.LanePort <= 0)
        {
            Log($"server node {Sender.Path.Address} opened no tensor lane for shard {ready.Shard}; the job runs on the lane: is it the same backprop version?");
            return;
        }

        _ready[ready.Shard] = true;
        Timers.Cancel(StartTimer(ready.Shard));
        _lanes[ready.Shard] = ready.LanePort > 0 ? $"{ready.LaneHost}:{ready.LanePort}" : string.Empty;
        Log($"shard {ready.Shard} ready on {Sender.Path.Address}{(ready.LanePort > 0 ? $", tensor lane at {_lanes[ready.Shard]}" : string.Empty)}");
        if (!_allReady && _ready.All(r => r))
        {
            _allReady = true;
            Log($"all {_plan.Shards} shards of the parameter server are ready");
            _setup.Server.Coordinator.Tell(new ServerGroupCommands.ShardsReady(_setup.Lane ? string.Join(',', _lanes.Skip(1)) : string.Empty));
            if (_roster is { } roster)
            {
                TellRemotes(ShardWorkers(roster));
            }

            ProceedIfReady();
        }
    }

    private void OnShardStartTimedOut(ShardStartTimedOut timedOut)
    {
        if (_ready[timedOut.Shard] || !timedOut.Host.Equals(_hosts[timedOut.Shard]))
        {
            return;
        }

        Log($"server node {timedOut.Host.Path.Address} did not build shard {timedOut.Shard} within {ShardStartTimeout.TotalMinutes:0} min of its offer; the shard waits for another server node");
        timedOut.Host.Tell(new WorkerProtocol.Refused($"it did not build shard {timedOut.Shard} within {ShardStartTimeout.TotalMinutes:0} min (its log says why)"));
        Context.Unwatch(timedOut.Host);
        _hosts[timedOut.Shard] = null;
    }

    private static string StartTimer(int shard) => $"start-{shard}";

    private void OnSetWorkers(ParameterServerCommands.SetWorkers roster)
    {
        _roster = roster;
        _local.Tell(roster);
        if (_allReady)
        {
            TellRemotes(ShardWorkers(roster));
        }
    }

    private ShardProtocol.ShardWorkers ShardWorkers(ParameterServerCommands.SetWorkers roster) => new(
        _setup.Server.JobId,
        [.. roster.Workers.Select(w => w.WorkerId)],
        [.. roster.Workers.Select(w => w.Ref.Path.ToSerializationFormat())]);

    private void ProceedIfReady()
    {
        if (!_proceedPending || !_allReady)
        {
            return;
        }

        _proceedPending = false;
        _local.Tell(ParameterServerCommands.Proceed.Instance);
        TellRemotes(new ShardProtocol.ShardControl(_setup.Server.JobId, ShardProtocol.ShardCommand.Proceed));
    }

    private void OnHostGone(IActorRef host)
    {
        int shard = Array.IndexOf(_hosts, host);
        if (shard < 0 || _over)
        {
            return;
        }

        if (!_allReady)
        {
            // Before the first step nothing is lost: the shard waits for another server node.
            _hosts[shard] = null;
            _ready[shard] = false;
            Log($"server node {host.Path.Address} left before the job started; shard {shard} waits for another");
            return;
        }

        _setup.Server.Coordinator.Tell(new ServerGroupCommands.ShardLost(
            $"the server node holding shard {shard} of the parameters ({host.Path.Address}) is gone: no step can complete without its range. The last checkpoint stays; start a server node again and resume with --resume"));
    }

    private void OnLocalSnapshot(ParameterServerCommands.Snapshot snapshot)
    {
        var gathering = GatheringOf(snapshot.Step);
        var (offset, count) = _plan.Range(0);
        snapshot.Parameters.AsSpan(offset, count).CopyTo(gathering.Parameters.AsSpan(offset, count));
        for (int i = 0; i < gathering.State.Length; i++)
        {
            snapshot.OptimizerState[i].AsSpan(offset, count).CopyTo(gathering.State[i].AsSpan(offset, count));
        }

        gathering.Local = snapshot;
        SendIfGathered(snapshot.Step, gathering);
    }

    private void OnSnapshotTensor(ShardProtocol.ShardTensor tensor)
    {
        try
        {
            var gathering = GatheringOf(tensor.Step);
            var slice = tensor.Slice;
            float[] target = tensor.Buffer == 0 ? gathering.Parameters : gathering.State[tensor.Buffer - 1];
            if (slice.TotalLength == target.Length && slice.Offset >= 0 && (long)slice.Offset + slice.Count <= target.Length)
            {
                slice.Values.CopyTo(target.AsSpan(slice.Offset, slice.Count));
            }
            else
            {
                _log.Warning("Ignored a snapshot slice [{0}, +{1}) of step {2} that does not fit the model.", slice.Offset, slice.Count, tensor.Step);
            }
        }
        finally
        {
            tensor.Slice.Release();
        }
    }

    private void OnRemoteSnapshot(ShardProtocol.ShardSnapshot done)
    {
        var gathering = GatheringOf(done.Step);
        gathering.RemoteShards++;
        _setup.Server.Coordinator.Tell(new ServerGroupCommands.ShardTraffic(new WireTraffic(done.BytesDown, done.BytesUp)));
        SendIfGathered(done.Step, gathering);
    }

    private SnapshotGathering GatheringOf(long step)
    {
        if (!_gathering.TryGetValue(step, out var gathering))
        {
            int length = _setup.Server.Parameters.Length;
            gathering = _gathering[step] = new SnapshotGathering(new float[length], [.. _setup.Server.Optimizer.State.Select(_ => new float[length])]);
        }

        return gathering;
    }

    private void SendIfGathered(long step, SnapshotGathering gathering)
    {
        if (gathering.Local is not { } local || gathering.RemoteShards < _plan.Shards - 1)
        {
            return;
        }

        _gathering.Remove(step);
        _setup.Server.Coordinator.Tell(local with { Parameters = gathering.Parameters, OptimizerState = gathering.State });
    }

    private void TellRemotes(object message)
    {
        foreach (var host in _hosts.Skip(1).OfType<IActorRef>())
        {
            host.Tell(message);
        }
    }

    private void Log(string line)
    {
        _log.Info(line);
        _setup.Log?.Invoke(line);
    }

    private sealed record ShardStartTimedOut(int Shard, IActorRef Host);

    /// <summary>One snapshot on its way in from every shard.</summary>
    private sealed class SnapshotGathering(float[] parameters, float[][] state)
    {
        public float[] Parameters { get; } = parameters;

        public float[][] State { get; } = state;

        public ParameterServerCommands.Snapshot? Local { get; set; }

        public int RemoteShards { get; set; }
    }
}
