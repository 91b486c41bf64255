namespace Backprop.Cluster.Lane;

/// <summary>Why a lane connection ended.</summary>
/// <param name="Reason">In plain words, for the log.</param>
/// <param name="ByPeerFault">Whether the peer broke the protocol (a bad frame, a malformed or foreign message), as opposed to closing or failing.</param>
internal readonly record struct LaneEnding(string Reason, bool ByPeerFault)
{
    public static LaneEnding Fault(string reason) => new(reason, true);

    public static LaneEnding Closed(string reason) => new(reason, false);
}
