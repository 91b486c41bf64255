using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="ShardProtocol.ShardSnapshot"/>: <c>[0 JobId: str, 1 Shard: int, 2 Step: int64, 3 EpochEnd: bool, 4 Halted: bool, 5 OptimizerSteps: int64, 6 BytesDown: int64, 7 BytesUp: int64]</c>.</summary>
internal sealed class ShardSnapshotContract : IWireContract<ShardProtocol.ShardSnapshot>
{
    private const int Fields = 8;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.ShardSnapshot message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Shard);
        sink.Write(message.Step);
        sink.Write(message.EpochEnd);
        sink.Write(message.Halted);
        sink.Write(message.OptimizerSteps);
        sink.Write(message.BytesDown);
        sink.Write(message.BytesUp);
    }

    /// <inheritdoc />
    public static ShardProtocol.ShardSnapshot Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.ShardSnapshot));
        var message = new ShardProtocol.ShardSnapshot(
            JobId: source.ReadString(nameof(ShardProtocol.ShardSnapshot.JobId)),
            Shard: source.ReadInt32(),
            Step: source.ReadInt64(),
            EpochEnd: source.ReadBoolean(),
            Halted: source.ReadBoolean(),
            OptimizerSteps: source.ReadInt64(),
            BytesDown: source.ReadInt64(),
            BytesUp: source.ReadInt64());
        source.EndContract(fields, Fields, nameof(ShardProtocol.ShardSnapshot));
        return message;
    }
}
