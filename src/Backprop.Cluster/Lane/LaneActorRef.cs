using Akka.Actor;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Lane;

/// <summary>
/// The local stand-in for the actor at the other end of a lane connection: a minimal actor ref (no
/// mailbox, no hop) whose Tell queues the message on the connection. The sending actor cannot tell a
/// lane from Akka.Remote; queuing never blocks, the connection's own loop does the I/O.
/// </summary>
internal sealed class LaneActorRef : MinimalActorRef
{
    private readonly LaneConnection _connection;

    public LaneActorRef(ActorSystem system, LaneConnection connection, string name)
    {
        _connection = connection;
        var extended = (ExtendedActorSystem)system;
        Provider = extended.Provider;
        Path = extended.Provider.TempPath().Parent / name;
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is IWireMessage wire)
        {
            _connection.Enqueue(wire);
        }
    }
}
