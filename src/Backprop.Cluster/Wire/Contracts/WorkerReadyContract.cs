using Backprop.Cluster.Coordinator;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="CoordinatorProtocol.WorkerReady"/>: <c>[0 JobId: str, 1 DataFingerprint: uint64, 2 TrainSamples: int]</c>.</summary>
internal sealed class WorkerReadyContract : IWireContract<CoordinatorProtocol.WorkerReady>
{
    private const int Fields = 3;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, CoordinatorProtocol.WorkerReady message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.DataFingerprint);
        sink.Write(message.TrainSamples);
    }

    /// <inheritdoc />
    public static CoordinatorProtocol.WorkerReady Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(CoordinatorProtocol.WorkerReady));
        var message = new CoordinatorProtocol.WorkerReady(
            JobId: source.ReadString(nameof(CoordinatorProtocol.WorkerReady.JobId)),
            DataFingerprint: source.ReadUInt64(),
            TrainSamples: source.ReadInt32());
        source.EndContract(fields, Fields, nameof(CoordinatorProtocol.WorkerReady));
        return message;
    }
}
