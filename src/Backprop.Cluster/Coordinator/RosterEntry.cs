namespace Backprop.Cluster.Coordinator;

/// <summary>One worker as the roster knows it at a moment: who, where, in what state and with which rank.</summary>
/// <param name="WorkerId">Unique per worker process.</param>
/// <param name="Host">The worker node's address (host:port), or "local" for an actor in the coordinator's own system.</param>
/// <param name="State">Joining, ready, in the steps, unreachable or lost.</param>
/// <param name="Rank">Its rank in the next steps; null when it is not in them.</param>
public sealed record RosterEntry(string WorkerId, string Host, WorkerState State, int? Rank);
