using Backprop.Cluster.Sharding;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// Layout of <see cref="ShardProtocol.ShardOffer"/>: <c>[0 JobId: str, 1 ConfigText: str, 2 Shard: int,
/// 3 Shards: int, 4 Widths: [int], 5 BatchesPerEpoch: int, 6 Step: int64, 7 Epoch: int, 8 Batch: int,
/// 9 OptimizerSteps: int64, 10 BucketBytes: int, 11 Compression: str, 12 TopKRatio: float64, 13 BackupWorkers: int,
/// 14 Staleness: int, 15 Servers: int, 16 SliceBytes: int, 17 StepTimeoutMillis: int64, 18 Lane: bool]</c>
/// (fields 10 to 15: <see cref="ExchangeSettingsFields"/>).
/// </summary>
internal sealed class ShardOfferContract : IWireContract<ShardProtocol.ShardOffer>
{
    private const int Fields = 13 + ExchangeSettingsFields.Count;

    /// <inheritdoc />
    public static void Write<TSink>(ref TSink sink, ShardProtocol.ShardOffer message)
        where TSink : IWireSink, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(message.Widths);
        sink.WriteArrayHeader(Fields);
        sink.Write(message.JobId);
        sink.Write(message.ConfigText);
        sink.Write(message.Shard);
        sink.Write(message.Shards);
        sink.WriteArrayHeader(message.Widths.Count);
        foreach (int width in message.Widths)
        {
            sink.Write(width);
        }

        sink.Write(message.BatchesPerEpoch);
        sink.Write(message.Step);
        sink.Write(message.Epoch);
        sink.Write(message.Batch);
        sink.Write(message.OptimizerSteps);
        ExchangeSettingsFields.Write(ref sink, message.Exchange);
        sink.Write(message.SliceBytes);
        sink.Write(message.StepTimeoutMillis);
        sink.Write(message.Lane);
    }

    /// <inheritdoc />
    public static ShardProtocol.ShardOffer Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, nameof(ShardProtocol.ShardOffer));
        string jobId = source.ReadString(nameof(ShardProtocol.ShardOffer.JobId));
        string configText = source.ReadString(nameof(ShardProtocol.ShardOffer.ConfigText));
        int shard = source.ReadInt32();
        int shards = source.ReadInt32();
        int[] widths = new int[source.ReadArrayHeader(nameof(ShardProtocol.ShardOffer.Widths))];
        for (int i = 0; i < widths.Length; i++)
        {
            widths[i] = source.ReadInt32();
        }

        var message = new ShardProtocol.ShardOffer(
            JobId: jobId,
            ConfigText: configText,
            Shard: shard,
            Shards: shards,
            Widths: widths,
            BatchesPerEpoch: source.ReadInt32(),
            Step: source.ReadInt64(),
            Epoch: source.ReadInt32(),
            Batch: source.ReadInt32(),
            OptimizerSteps: source.ReadInt64(),
            Exchange: ExchangeSettingsFields.Read(ref source, nameof(ShardProtocol.ShardOffer)),
            SliceBytes: source.ReadInt32(),
            StepTimeoutMillis: source.ReadInt64(),
            Lane: source.ReadBoolean());
        source.EndContract(fields, Fields, nameof(ShardProtocol.ShardOffer));
        return message;
    }
}
