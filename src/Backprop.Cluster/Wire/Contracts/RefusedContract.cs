using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="WorkerProtocol.Refused"/>: <c>[0 Reason: str]</c>.</summary>
internal sealed class RefusedContract : IWireContract<WorkerProtocol.Refused>
{
    private const int Fields = 1;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, WorkerProtocol.Refused message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.Reason);
    }

    /// <inheritdoc />
    public static WorkerProtocol.Refused Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(WorkerProtocol.Refused));
        var message = new WorkerProtocol.Refused(
            Reason: source.ReadString(nameof(WorkerProtocol.Refused.Reason)));
        source.EndContract(fields, Fields, nameof(WorkerProtocol.Refused));
        return message;
    }
}
