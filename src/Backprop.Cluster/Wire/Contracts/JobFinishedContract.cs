using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="WorkerProtocol.JobFinished"/>: <c>[0 JobId: str, 1 Completed: bool]</c>.</summary>
internal sealed class JobFinishedContract : IWireContract<WorkerProtocol.JobFinished>
{
    private const int Fields = 2;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, WorkerProtocol.JobFinished message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.Completed);
    }

    /// <inheritdoc />
    public static WorkerProtocol.JobFinished Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(WorkerProtocol.JobFinished));
        var message = new WorkerProtocol.JobFinished(
            JobId: source.ReadString(nameof(WorkerProtocol.JobFinished.JobId)),
            Completed: source.ReadBoolean());
        source.EndContract(fields, Fields, nameof(WorkerProtocol.JobFinished));
        return message;
    }
}
