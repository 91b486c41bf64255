using Backprop.Cluster.Coordinator;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="CoordinatorProtocol.WorkerFailed"/>: <c>[0 JobId: str, 1 Reason: str]</c>.</summary>
internal sealed class WorkerFailedContract : IWireContract<CoordinatorProtocol.WorkerFailed>
{
    private const int Fields = 2;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, CoordinatorProtocol.WorkerFailed message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Reason);
    }

    /// <inheritdoc />
    public static CoordinatorProtocol.WorkerFailed Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(CoordinatorProtocol.WorkerFailed));
        var message = new CoordinatorProtocol.WorkerFailed(
            JobId: source.ReadString(nameof(CoordinatorProtocol.WorkerFailed.JobId)),
            Reason: source.ReadString(nameof(CoordinatorProtocol.WorkerFailed.Reason)));
        source.EndContract(fields, Fields, nameof(CoordinatorProtocol.WorkerFailed));
        return message;
    }
}
