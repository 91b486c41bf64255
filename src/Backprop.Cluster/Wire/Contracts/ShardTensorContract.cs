using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="ShardProtocol.ShardTensor"/>: <c>[0 JobId: str, 1 Step: int64, 2 Buffer: int, 3 Slice: TensorSlice]</c>.</summary>
internal sealed class ShardTensorContract : IWireContract<ShardProtocol.ShardTensor>
{
    private const int Fields = 4;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.ShardTensor message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Step);
        sink.Write(message.Buffer);
        TensorSliceContract.Write(ref sink, message.Slice);
    }

    /// <inheritdoc />
    public static ShardProtocol.ShardTensor Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.ShardTensor));
        var message = new ShardProtocol.ShardTensor(
            JobId: source.ReadString(nameof(ShardProtocol.ShardTensor.JobId)),
            Step: source.ReadInt64(),
            Buffer: source.ReadInt32(),
            Slice: TensorSliceContract.Read(ref source));
        source.EndContract(fields, Fields, nameof(ShardProtocol.ShardTensor));
        return message;
    }
}
