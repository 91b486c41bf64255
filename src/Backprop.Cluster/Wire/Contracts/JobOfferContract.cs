using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>Layout of <see cref="WorkerProtocol.JobOffer"/>: <c>[0 JobId: str, 1 ConfigText: str, 2 LaneHost: str, 3 LanePort: int]</c>.</summary>
internal sealed class JobOfferContract : IWireContract<WorkerProtocol.JobOffer>
{
    private const int Fields = 4;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, WorkerProtocol.JobOffer message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.ConfigText);
        sink.Write(message.LaneHost);
        sink.Write(message.LanePort);
    }

    /// <inheritdoc />
    public static WorkerProtocol.JobOffer Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(WorkerProtocol.JobOffer));
        var message = new WorkerProtocol.JobOffer(
            JobId: source.ReadString(nameof(WorkerProtocol.JobOffer.JobId)),
            ConfigText: source.ReadString(nameof(WorkerProtocol.JobOffer.ConfigText)),
            LaneHost: source.ReadString(nameof(WorkerProtocol.JobOffer.LaneHost)),
            LanePort: source.ReadInt32());
        source.EndContract(fields, Fields, nameof(WorkerProtocol.JobOffer));
        return message;
    }
}
