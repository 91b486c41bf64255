using Akka.Actor;

namespace Backprop.Cluster.Coordinator;

/// <summary>
/// Who the coordinator knows and who takes part in the steps, free of message handling: a worker is
/// in the steps once it is ready (data checked), while it is reachable, and — on the lane — while its
/// lane is connected; ranks follow the order workers became ready.
/// </summary>
internal sealed class WorkerRoster(bool lane)
{
    private readonly Dictionary<string, Entry> _workers = new(StringComparer.Ordinal);
    private long _readySequence;

    /// <summary>The workers of the next steps, in rank order, each with the ref tensors go to.</summary>
    public IReadOnlyList<WorkerHandle> Steps => [.. _workers.Values
        .Where(e => e.ReadyOrder > 0 && !e.Unreachable && (!lane || e.Lane is not null))
        .OrderBy(e => e.ReadyOrder)
        .Select(e => new WorkerHandle(e.Id, lane ? e.Lane! : e.Worker))];

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
        var gone = _workers.Values.Where(e => which(e.Worker)).Select(e => e.Id).ToList();
        foreach (string id in gone)
        {
            _workers.Remove(id);
        }

        return gone;
    }

    private sealed class Entry(string id, IActorRef worker)
    {
        public string Id { get; } = id;

        public IActorRef Worker { get; } = worker;

        public long ReadyOrder { get; set; }

        public bool Unreachable { get; set; }

        public IActorRef? Lane { get; set; }
    }
}
