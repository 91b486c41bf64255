using Backprop.Cluster.ParameterServer;

namespace Backprop.Cluster.Coordinator;

/// <summary>
/// Joins what the roster knows (ids, hosts, states, ranks) with what the parameter server counted
/// (steps, samples, timings, rejections) into a <see cref="WorkerTable"/>. A pure function, so the
/// coordinator only calls it and the tests call it with plain values.
/// </summary>
public static class WorkerTableBuilder
{
    /// <summary>The table now.</summary>
    /// <param name="previous">The table before (for the rates), or null for the first.</param>
    /// <param name="seconds">Wall seconds since <paramref name="previous"/>.</param>
    /// <param name="roster">The roster's workers, lost ones included.</param>
    /// <param name="counters">The parameter server's counts by worker; a worker it never saw has none.</param>
    /// <param name="step">Global steps done.</param>
    /// <param name="account">The closed steps' accounting.</param>
    /// <param name="rejections">Rejected slices by reason.</param>
    /// <returns>The new table: workers in the steps by rank, then the rest by id.</returns>
    public static WorkerTable Build(
        WorkerTable? previous,
        double seconds,
        IReadOnlyList<RosterEntry> roster,
        IReadOnlyList<WorkerCounters> counters,
        long step,
        StepAccount account,
        IReadOnlyDictionary<string, long> rejections)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(rejections);
        var counted = counters.ToDictionary(c => c.WorkerId, StringComparer.Ordinal);
        var before = previous?.Workers.ToDictionary(w => w.WorkerId, StringComparer.Ordinal);
        var rows = roster
            .OrderBy(e => e.Rank ?? int.MaxValue)
            .ThenBy(e => e.WorkerId, StringComparer.Ordinal)
            .Select(e => Row(e, counted.GetValueOrDefault(e.WorkerId), before?.GetValueOrDefault(e.WorkerId), seconds))
            .ToList();
        return new WorkerTable(step, account, new Dictionary<string, long>(rejections, StringComparer.Ordinal), rows);
    }

    private static WorkerRow Row(RosterEntry entry, WorkerCounters? counters, WorkerRow? before, double seconds)
    {
        long steps = counters?.Steps ?? 0;
        long samples = counters?.Samples ?? 0;

        // A rate needs two readings of the same worker; a lost worker contributes nothing any more.
        double rate = before is not null && seconds > 0 && entry.State != WorkerState.Lost
            ? Math.Max(0, samples - before.Samples) / seconds
            : 0;
        bool arrived = steps > 0;
        return new WorkerRow(
            entry.WorkerId,
            entry.Host,
            entry.State,
            entry.Rank,
            steps,
            samples,
            rate,
            arrived ? counters!.LastArrivalMicros / 1000 : null,
            arrived ? counters!.LastComputeMicros / 1000.0 : null,
            counters?.Rejected ?? 0);
    }
}
