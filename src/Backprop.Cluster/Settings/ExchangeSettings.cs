using Akka.Configuration;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Settings;

/// <summary>
/// The <c>backprop.cluster.exchange</c> section: how a step's gradients and weights are exchanged.
/// The coordinator reads it and hands it to every worker with the job, so that both sides cut and
/// encode tensors the same way.
/// </summary>
public sealed record ExchangeSettings
{
    private const string Section = "backprop.cluster.exchange";

    /// <summary>The defaults: the whole gradient as float32 after the backward pass, synchronous steps.</summary>
    public static readonly ExchangeSettings Default = new();

    /// <summary>
    /// <c>bucket-bytes</c>: 0 sends the gradient once the backward pass is done; above 0 a worker sends
    /// it in buckets of whole layers of at least this many bytes, last layer first, as soon as the
    /// backward pass has produced each, and the server applies and broadcasts each bucket as soon as
    /// every worker's has arrived.
    /// </summary>
    public int BucketBytes { get; init; }

    /// <summary><c>compression</c>: how gradients (and weights) travel.</summary>
    public WireCompression Compression { get; init; } = WireCompression.None;

    /// <summary><c>top-k-ratio</c>: with compression = top-k, the fraction of each gradient bucket's values sent.</summary>
    public double TopKRatio { get; init; } = 0.01;

    /// <summary><c>backup-workers</c>: a step closes with the first N − k gradients; the k slowest are dropped from it.</summary>
    public int BackupWorkers { get; init; }

    /// <summary><c>staleness</c>: how many versions behind the server a worker's weights may be when its gradient is applied.</summary>
    public int Staleness { get; init; }

    /// <summary>
    /// <c>servers</c>: K, the shards of the parameter server. 1 keeps the whole flat buffer on the
    /// coordinator; above 1 it is cut into K contiguous ranges, the coordinator holding the first and
    /// K − 1 nodes started with <c>backprop server</c> the others, each summing, applying and
    /// broadcasting its own range; workers send each gradient bucket to the shard that owns it.
    /// </summary>
    public int Servers { get; init; } = 1;

    /// <summary>Whether the step is plain synchronous SGD (no backup workers, no staleness).</summary>
    public bool Synchronous => BackupWorkers == 0 && Staleness == 0;

    /// <summary>Reads the section inside <paramref name="cluster"/> (<c>backprop.cluster</c>), checking every value.</summary>
    /// <param name="cluster">The cluster section.</param>
    public static ExchangeSettings Create(Config cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var section = cluster.GetConfig("exchange");
        if (section is null || section.IsEmpty)
        {
            return new ExchangeSettings();
        }

        string[] known = ["bucket-bytes", "compression", "top-k-ratio", "backup-workers", "staleness", "servers"];
        foreach (var key in section.Root.GetObject().Items.Keys.Where(k => !known.Contains(k)))
        {
            throw new InvalidSettingException($"{Section}.{key}", $"unknown key; the exchange section has {string.Join(", ", known)}.");
        }

        string compression = section.GetString("compression", "none");
        var settings = new ExchangeSettings
        {
            BucketBytes = Read(section, "bucket-bytes", 0, c => c.GetInt("bucket-bytes"), "a whole number of bytes"),
            Compression = WireCompressions.Parse(compression)
                ?? throw new InvalidSettingException($"{Section}.compression", $"\"{compression}\" is not a compression; expected none, bf16, fp16 or top-k."),
            TopKRatio = Read(section, "top-k-ratio", 0.01, c => c.GetDouble("top-k-ratio"), "a number such as 0.01"),
            BackupWorkers = Read(section, "backup-workers", 0, c => c.GetInt("backup-workers"), "a whole number"),
            Staleness = Read(section, "staleness", 0, c => c.GetInt("staleness"), "a whole number"),
            Servers = Read(section, "servers", 1, c => c.GetInt("servers"), "a whole number"),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    public void Validate()
    {
        if (BucketBytes is < 0 or > 512_000_000)
        {
            throw new InvalidSettingException($"{Section}.bucket-bytes", $"must be 0 (no buckets) or a size in bytes up to 512000000, got {BucketBytes}.");
        }

        if (!(TopKRatio > 0 && TopKRatio <= 1))
        {
            throw new InvalidSettingException($"{Section}.top-k-ratio", $"must be above 0 and at most 1, got {TopKRatio}.");
        }

        if (BackupWorkers < 0)
        {
            throw new InvalidSettingException($"{Section}.backup-workers", $"must be 0 or more, got {BackupWorkers}.");
        }

        if (Staleness < 0)
        {
            throw new InvalidSettingException($"{Section}.staleness", $"must be 0 or more, got {Staleness}.");
        }

        if (Servers is < 1 or > 64)
        {
            throw new InvalidSettingException($"{Section}.servers", $"must be 1 (the coordinator holds every parameter) to 64 shards, got {Servers}.");
        }

        if (Servers > 1 && !Synchronous)
        {
            // Which gradients a step sums is decided by each shard alone: with backup workers or
            // staleness two shards could apply different workers' gradients to their halves of one step.
            throw new InvalidSettingException($"{Section}.servers", $"a sharded parameter server ({Servers} servers) runs synchronous steps only: set backup-workers and staleness to 0, or servers to 1.");
        }

        if (BackupWorkers > 0 && Staleness > 0)
        {
            throw new InvalidSettingException($"{Section}.staleness", "backup-workers and staleness are two different step modes: set one of them, not both.");
        }
    }

    private static T Read<T>(Config section, string key, T fallback, Func<Config, T> read, string expected)
    {
        try
        {
            return section.HasPath(key) ? read(section) : fallback;
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or InvalidCastException or OverflowException)
        {
            throw new InvalidSettingException($"{Section}.{key}", $"expected {expected}, got \"{section.GetString(key)}\".");
        }
    }
}
