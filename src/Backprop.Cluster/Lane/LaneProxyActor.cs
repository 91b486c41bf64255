using Akka.Actor;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Lane;

/// <summary>
/// The local stand-in for the actor at the other end of a lane connection: whatever is told to it
/// is queued on the connection, so the sending actor cannot tell a lane from Akka.Remote. Queuing
/// never blocks; the connection's own loop does the I/O.
/// </summary>
internal sealed class LaneProxyActor : ReceiveActor
{
    public LaneProxyActor(LaneConnection connection)
    {
        Receive<IWireMessage>(connection.Enqueue);
    }

    public static Props Props(LaneConnection connection) => Akka.Actor.Props.Create(() => new LaneProxyActor(connection));
}
