using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="ShardProtocol.ShardReady"/>: <c>[0 JobId: str, 1 Shard: int, 2 LaneHost: str, 3 LanePort: int]</c>.</summary>
internal sealed class ShardReadyContract : IWireContract<ShardProtocol.ShardReady>
{
    private const int Fields = 4;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.ShardReady message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Shard);
        sink.Write(message.LaneHost);
        sink.Write(message.LanePort);
    }

    /// <inheritdoc />
    public static ShardProtocol.ShardReady Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.ShardReady));
        var message = new ShardProtocol.ShardReady(
            JobId: source.ReadString(nameof(ShardProtocol.ShardReady.JobId)),
            Shard: source.ReadInt32(),
            LaneHost: source.ReadString(nameof(ShardProtocol.ShardReady.LaneHost)),
            LanePort: source.ReadInt32());
        source.EndContract(fields, Fields, nameof(ShardProtocol.ShardReady));
        return message;
    }
}
