using Akka.Actor;

namespace Backprop.Cluster.Coordinator;

/// <summary>
/// Who the coordinator knows and who takes part in the steps, free of message handling: a worker is
/// in the steps once it is ready (data checked), while it is reachable, and — on the lane — while its
/// lane is connected (with a parameter server sharded over the lane, its lanes to every server node
/// too); ranks follow the order workers became ready.
/// </summary>
/// <param name="lane">Whether tensors travel on the lane.</param>
/// <param name="remoteLanes">On the lane, the server nodes' shards (K − 1) whose lanes a worker needs besides the coordinator's.</param>
internal sealed class WorkerRoster(bool lane, int remoteLanes = 0)
{
    /// <summary>Lost workers remembered for the worker table; the oldest are forgotten past this.</summary>
    private const int LostKept = 32;

    private readonly Dictionary<string, Entry> _workers = new(StringComparer.Ordinal);
    private readonly Queue<RosterEntry> _lost = new();
    private long _readySequence;

    /// <summary>The workers of the next steps, in rank order, each with the ref tensors go to.</summary>
    public IReadOnlyList<WorkerHandle> Steps => [.. _workers.Values
        .Where(e => e.ReadyOrder > 0 && !e.Unreachable && (!lane || (e.Lane is not null && e.ShardLanes.Count == remoteLanes)))
        .OrderBy(e => e.ReadyOrder)
        .Select(e => new WorkerHandle(e.Id, lane ? e.Lane! : e.Worker))];

    /// <summary>The node a registered worker's actor lives on (its tensors may go through a lane proxy on this one).</summary>
    public Address NodeOf(string id) => _workers[id].Worker.Path.Address;

    /// <summary>Every registered worker actor.</summary>
    public IEnumerable<IActorRef> Workers => _workers.Values.Select(e => e.Worker);

    /// <summary>Registers a worker; false if it already was.</summary>
    public bool Register(string id, IActorRef worker)
    {
        if (_workers.ContainsKey(id))
        {
            return false;
        }

        _workers[id] = new Entry(id, worker);
        return true;
    }

    /// <summary>The worker actor registered as <paramref name="id"/>, if any.</summary>
    public IActorRef? Find(string id) => _workers.TryGetValue(id, out var e) ? e.Worker : null;

    public string? IdOf(IActorRef worker) => _workers.Values.FirstOrDefault(e => e.Worker.Equals(worker))?.Id;

    public bool IsReady(string id) => _workers.TryGetValue(id, out var e) && e.ReadyOrder > 0;

    public void MarkReady(string id)
    {
        if (_workers.TryGetValue(id, out var e) && e.ReadyOrder == 0)
        {
            e.ReadyOrder = ++_readySequence;
        }
    }

    /// <summary>The worker's lane proxy, or null when its lane is down.</summary>
    public void SetLane(string id, IActorRef? proxy)
    {
        if (_workers.TryGetValue(id, out var e))
        {
            e.Lane = proxy;
        }
    }

    /// <summary>Whether the worker's lane to server node shard <paramref name="shard"/> is up.</summary>
    public void SetShardLane(string id, int shard, bool up)
    {
        if (_workers.TryGetValue(id, out var e))
        {
            if (up)
            {
                e.ShardLanes.Add(shard);
            }
            else
            {
                e.ShardLanes.Remove(shard);
            }
        }
    }

    /// <summary>Marks the workers at <paramref name="address"/> (un)reachable; returns their ids.</summary>
    public IReadOnlyList<string> SetReachable(Address address, bool reachable)
    {
        var changed = _workers.Values.Where(e => e.Worker.Path.Address.Equals(address) && e.Unreachable == reachable).ToList();
        foreach (var e in changed)
        {
            e.Unreachable = !reachable;
        }

        return [.. changed.Select(e => e.Id)];
    }

    /// <summary>Forgets the workers <paramref name="which"/> selects (left, downed, stopped); returns their ids.</summary>
    public IReadOnlyList<string> Remove(Func<IActorRef, bool> which)
    {
        var gone = _workers.Values.Where(e => which(e.Worker)).ToList();
        foreach (var e in gone)
        {
            _workers.Remove(e.Id);
            _lost.Enqueue(new RosterEntry(e.Id, HostOf(e.Worker), WorkerState.Lost, null));
            if (_lost.Count > LostKept)
            {
                _lost.Dequeue();
            }
        }

        return [.. gone.Select(e => e.Id)];
    }

    /// <summary>Every worker now, lost ones included, with its state and its rank in the next steps.</summary>
    /// <param name="started">Whether the job has started (before it, ready workers are not stepping yet).</param>
    public IReadOnlyList<RosterEntry> Describe(bool started)
    {
        var ranks = Steps.Select((w, rank) => (w.WorkerId, rank)).ToDictionary(p => p.WorkerId, p => p.rank, StringComparer.Ordinal);
        var entries = new List<RosterEntry>(_workers.Count + _lost.Count);
        foreach (var e in _workers.Values)
        {
            int? rank = ranks.TryGetValue(e.Id, out int r) ? r : null;
            var state = e.ReadyOrder == 0 ? WorkerState.Joining
                : e.Unreachable ? WorkerState.Unreachable
                : rank is not null && started ? WorkerState.InSteps
                : WorkerState.Ready;
            entries.Add(new RosterEntry(e.Id, HostOf(e.Worker), state, rank));
        }

        // A worker that left and registered again under the same id shows once, as it is now.
        entries.AddRange(_lost.Where(l => !_workers.ContainsKey(l.WorkerId)).DistinctBy(l => l.WorkerId));
        return entries;
    }

    private static string HostOf(IActorRef worker)
    {
        var address = worker.Path.Address;
        return address.Host is { } host ? $"{host}:{address.Port}" : "local";
    }

    private sealed class Entry(string id, IActorRef worker)
    {
        public string Id { get; } = id;

        public IActorRef Worker { get; } = worker;

        public long ReadyOrder { get; set; }

        public bool Unreachable { get; set; }

        public IActorRef? Lane { get; set; }

        /// <summary>The server nodes' shards whose lanes to this worker are up.</summary>
        public HashSet<int> ShardLanes { get; } = [];
    }
}
