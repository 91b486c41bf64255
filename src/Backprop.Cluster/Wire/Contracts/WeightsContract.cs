using Backprop.Cluster.ParameterServer;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="ParameterServerProtocol.Weights"/>: <c>[0 JobId: str, 1 Version: int64, 2 Epoch: int, 3 Batch: int, 4 Rank: int, 5 World: int, 6 Slice: TensorSlice]</c>.</summary>
internal sealed class WeightsContract : IWireContract<ParameterServerProtocol.Weights>
{
    private const int Fields = 7;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ParameterServerProtocol.Weights message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Version);
        sink.Write(message.Epoch);
        sink.Write(message.Batch);
        sink.Write(message.Rank);
        sink.Write(message.World);
        TensorSliceContract.Write(ref sink, message.Slice);
    }

    /// <inheritdoc />
    public static ParameterServerProtocol.Weights Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ParameterServerProtocol.Weights));
        var message = new ParameterServerProtocol.Weights(
            JobId: source.ReadString(nameof(ParameterServerProtocol.Weights.JobId)),
            Version: source.ReadInt64(),
            Epoch: source.ReadInt32(),
            Batch: source.ReadInt32(),
            Rank: source.ReadInt32(),
            World: source.ReadInt32(),
            Slice: TensorSliceContract.Read(ref source));
        source.EndContract(fields, Fields, nameof(ParameterServerProtocol.Weights));
        return message;
    }
}
