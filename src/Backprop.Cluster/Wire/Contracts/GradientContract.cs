using Backprop.Cluster.ParameterServer;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="ParameterServerProtocol.Gradient"/>: <c>[0 JobId: str, 1 Version: int64, 2 Rank: int, 3 Samples: int, 4 LossSum: float64, 5 Correct: int, 6 Slice: TensorSlice, 7 ComputeMicros: int64, 8 WeightsVersion: int64, 9 World: int]</c>.</summary>
internal sealed class GradientContract : IWireContract<ParameterServerProtocol.Gradient>
{
    private const int Fields = 10;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ParameterServerProtocol.Gradient message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Version);
        sink.Write(message.Rank);
        sink.Write(message.Samples);
        sink.Write(message.LossSum);
        sink.Write(message.Correct);
        TensorSliceContract.Write(ref sink, message.Slice);
        sink.Write(message.ComputeMicros);
        sink.Write(message.WeightsVersion);
        sink.Write(message.World);
    }

    /// <inheritdoc />
    public static ParameterServerProtocol.Gradient Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ParameterServerProtocol.Gradient));
        var message = new ParameterServerProtocol.Gradient(
            JobId: source.ReadString(nameof(ParameterServerProtocol.Gradient.JobId)),
            Version: source.ReadInt64(),
            Rank: source.ReadInt32(),
            Samples: source.ReadInt32(),
            LossSum: source.ReadDouble(),
            Correct: source.ReadInt32(),
            Slice: TensorSliceContract.Read(ref source),
            ComputeMicros: source.ReadInt64(),
            WeightsVersion: source.ReadInt64(),
            World: source.ReadInt32());
        source.EndContract(fields, Fields, nameof(ParameterServerProtocol.Gradient));
        return message;
    }
}
