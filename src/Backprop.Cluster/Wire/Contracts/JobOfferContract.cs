using Backprop.Cluster.Settings;
using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// Layout of <see cref="WorkerProtocol.JobOffer"/>: <c>[0 JobId: str, 1 ConfigText: str, 2 LaneHost: str,
/// 3 LanePort: int, 4 BucketBytes: int, 5 Compression: str, 6 TopKRatio: float64, 7 BackupWorkers: int,
/// 8 Staleness: int, 9 Servers: int, 10 ShardLanes: str]</c> (fields 4 to 9: <see cref="ExchangeSettingsFields"/>).
/// </summary>
internal sealed class JobOfferContract : IWireContract<WorkerProtocol.JobOffer>
{
    private const int Fields = 5 + ExchangeSettingsFields.Count;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, WorkerProtocol.JobOffer message)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.ConfigText);
        sink.Write(message.LaneHost);
        sink.Write(message.LanePort);
        ExchangeSettingsFields.Write(ref sink, message.Exchange ?? ExchangeSettings.Default);
        sink.Write(message.ShardLanes);
    }

    /// <inheritdoc />
    public static WorkerProtocol.JobOffer Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(WorkerProtocol.JobOffer));
        string jobId = source.ReadString(nameof(WorkerProtocol.JobOffer.JobId));
        string configText = source.ReadString(nameof(WorkerProtocol.JobOffer.ConfigText));
        string laneHost = source.ReadString(nameof(WorkerProtocol.JobOffer.LaneHost));
        int lanePort = source.ReadInt32();
        var exchange = ExchangeSettingsFields.Read(ref source, nameof(WorkerProtocol.JobOffer));
        string shardLanes = source.ReadString(nameof(WorkerProtocol.JobOffer.ShardLanes));
        source.EndContract(fields, Fields, nameof(WorkerProtocol.JobOffer));

        // The defaults read back as they are written, as null: an offer compares equal after a round trip.
        return new WorkerProtocol.JobOffer(jobId, configText, laneHost, lanePort, exchange == ExchangeSettings.Default ? null : exchange, shardLanes);
    }
}
