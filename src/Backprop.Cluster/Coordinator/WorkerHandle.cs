using Akka.Actor;

namespace Backprop.Cluster.Coordinator;

/// <summary>A ready worker: its id and its worker actor.</summary>
/// <param name="WorkerId">Unique per worker process.</param>
/// <param name="Ref">The worker actor on its node.</param>
public sealed record WorkerHandle(string WorkerId, IActorRef Ref);
