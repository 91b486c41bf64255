using System.Runtime.Serialization;
using Backprop.Cluster.Settings;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// The fields of <see cref="ExchangeSettings"/>, written inline (not nested) in the messages that carry
/// them: <c>[BucketBytes: int, Compression: str, TopKRatio: float64, BackupWorkers: int, Staleness: int,
/// Servers: int]</c>, six consecutive fields of the enclosing contract. Compression travels as its
/// configuration spelling (none, bf16, fp16, top-k).
/// </summary>
internal static class ExchangeSettingsFields
{
    /// <summary>How many fields <see cref="Write"/> adds to the enclosing contract.</summary>
    public const int Count = 6;

    /// <summary>Writes the six fields of <paramref name="exchange"/>.</summary>
    /// <typeparam name="TSink">The writer or the byte counter.</typeparam>
    /// <param name="sink">Where the fields go.</param>
    /// <param name="exchange">The settings; null is a caller bug and throws.</param>
    public static void Write<TSink>(ref TSink sink, ExchangeSettings exchange)
        where TSink : IWireSink, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(exchange);
        sink.Write(exchange.BucketBytes);
        sink.Write(WireCompressions.Spell(exchange.Compression));
        sink.Write(exchange.TopKRatio);
        sink.Write(exchange.BackupWorkers);
        sink.Write(exchange.Staleness);
        sink.Write(exchange.Servers);
    }

    /// <summary>Reads the six fields <see cref="Write"/> wrote; an unknown compression throws.</summary>
    /// <param name="source">The bytes.</param>
    /// <param name="contract">The enclosing contract's name, for the error.</param>
    public static ExchangeSettings Read(ref WireSource source, string contract)
    {
        int bucketBytes = source.ReadInt32();
        string compression = source.ReadString(nameof(ExchangeSettings.Compression));
        return new ExchangeSettings
        {
            BucketBytes = bucketBytes,
            Compression = WireCompressions.Parse(compression) ?? throw new SerializationException($"{contract} names an unknown compression \"{compression}\"."),
            TopKRatio = source.ReadDouble(),
            BackupWorkers = source.ReadInt32(),
            Staleness = source.ReadInt32(),
            Servers = source.ReadInt32(),
        };
    }
}
