using Akka.Actor;

namespace Backprop.Cluster.Coordinator;

/// <summary>
/// The cluster singleton of a cluster with standby coordinators: Akka's singleton manager starts it
/// on the oldest coordinator node, and on the next oldest once that node is gone (downed after a
/// crash, or left). It tells its process that this node now holds the job, and hosts the
/// <see cref="CoordinatorActor"/> the process then builds from the run folder's latest checkpoint
/// (loading it is I/O, so it is done outside, not in here). Registrations that workers send through
/// any coordinator node's singleton proxy reach the job through it.
/// </summary>
public sealed class CoordinatorSeat : ReceiveActor
{
    /// <summary>The singleton manager's name on every coordinator node.</summary>
    public const string ManagerName = "coordinator-seat";

    /// <summary>The singleton's name under its manager.</summary>
    public const string SingletonName = "active";

    private readonly Action<IActorRef> _taken;
    private IActorRef? _job;

    /// <summary>A seat that reports itself to <paramref name="taken"/> when it starts.</summary>
    /// <param name="taken">Told this actor once it runs on this node.</param>
    public CoordinatorSeat(Action<IActorRef> taken)
    {
        _taken = taken;
        Receive<Occupy>(o =>
        {
            _job ??= Context.ActorOf(CoordinatorActor.Props(o.Options), CoordinatorActor.Name);
        });
        Receive<CoordinatorActor.Interrupt>(i => _job?.Forward(i));

        // Until the job runs a worker's registration is dropped; the worker asks again every 2 s.
        Receive<CoordinatorProtocol.RegisterWorker>(r => _job?.Forward(r));
        Receive<Sharding.ShardProtocol.RegisterServer>(r => _job?.Forward(r));
    }

    /// <summary>The props of a seat.</summary>
    /// <param name="taken">Told the seat once it runs on this node.</param>
    /// <returns>The props.</returns>
    public static Props Props(Action<IActorRef> taken) => Akka.Actor.Props.Create(() => new CoordinatorSeat(taken));

    /// <inheritdoc/>
    protected override void PreStart() => _taken(Self);

    /// <summary>Start the job's coordinator here.</summary>
    /// <param name="Options">The job, prepared from the run folder.</param>
    public sealed record Occupy(CoordinatorOptions Options) : INoSerializationVerificationNeeded;
}
