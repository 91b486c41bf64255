using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="ShardProtocol.ShardLaneChanged"/>: <c>[0 JobId: str, 1 Shard: int, 2 WorkerId: str, 3 Connected: bool, 4 Reason: str]</c>.</summary>
internal sealed class ShardLaneChangedContract : IWireContract<ShardProtocol.ShardLaneChanged>
{
    private const int Fields = 5;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.ShardLaneChanged message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Shard);
        sink.Write(message.WorkerId);
        sink.Write(message.Connected);
        sink.Write(message.Reason);
    }

    /// <inheritdoc />
    public static ShardProtocol.ShardLaneChanged Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.ShardLaneChanged));
        var message = new ShardProtocol.ShardLaneChanged(
            JobId: source.ReadString(nameof(ShardProtocol.ShardLaneChanged.JobId)),
            Shard: source.ReadInt32(),
            WorkerId: source.ReadString(nameof(ShardProtocol.ShardLaneChanged.WorkerId)),
            Connected: source.ReadBoolean(),
            Reason: source.ReadString(nameof(ShardProtocol.ShardLaneChanged.Reason)));
        source.EndContract(fields, Fields, nameof(ShardProtocol.ShardLaneChanged));
        return message;
    }
}
