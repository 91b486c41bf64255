using Akka.Configuration;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Settings;

/// <summary>The <c>backprop.cluster</c> section, read once and checked; actors never read HOCON.</summary>
public sealed record ClusterSettings
{
    private const string Section = "backprop.cluster";

    /// <summary><c>min-workers</c>.</summary>
    public int MinWorkers { get; init; } = 1;

    /// <summary><c>transport</c>: lane (a TCP connection per worker for tensors) or akka (Akka.Remote).</summary>
    public string Transport { get; init; } = "lane";

    /// <summary><c>lane-port</c>: the tensor lane's port on the coordinator; 0 for any free one.</summary>
    public int LanePort { get; init; }

    /// <summary><c>lane-slice-bytes</c>: largest tensor slice per lane frame (a whole model's gradient fits the default).</summary>
    public int LaneSliceBytes { get; init; } = 64_000_000;

    /// <summary>Whether tensors travel on the lane.</summary>
    public bool UsesLane => Transport == "lane";

    /// <summary>The slice size of the chosen transport.</summary>
    public int TransportSliceBytes => UsesLane ? LaneSliceBytes : SliceBytes;

    /// <summary><c>slice-bytes</c>.</summary>
    public int SliceBytes { get; init; } = 120_000;

    /// <summary><c>step-timeout</c>.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>max-missed-steps</c>: steps in a row a worker may time out before it is dropped (its node downed).</summary>
    public int MaxMissedSteps { get; init; } = 3;

    /// <summary><c>exchange</c>: buckets, compression and the step mode of the gradient exchange.</summary>
    public ExchangeSettings Exchange { get; init; } = new();

    /// <summary><c>tls</c>: mutual TLS on every connection.</summary>
    public TlsSettings Tls { get; init; } = new();

    /// <summary>
    /// Akka's own log level on every node (DEBUG, INFO, WARNING, ERROR, OFF): not a configuration key,
    /// set by the command line's --verbose (INFO) and --quiet (ERROR).
    /// </summary>
    public string AkkaLogLevel { get; init; } = "WARNING";

    /// <summary><c>join-timeout</c>.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>down-after</c>.</summary>
    public TimeSpan DownAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Reads the section of <paramref name="config"/> (defaults from reference.conf), checking every value.</summary>
    /// <param name="config">The merged configuration.</param>
    public static ClusterSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetConfig(Section);
        if (section is null || section.IsEmpty)
        {
            return new ClusterSettings();
        }

        var known = new HashSet<string>(StringComparer.Ordinal) { "min-workers", "transport", "slice-bytes", "lane-port", "lane-slice-bytes", "step-timeout", "max-missed-steps", "join-timeout", "down-after", "exchange", "tls" };
        foreach (var key in section.Root.GetObject().Items.Keys)
        {
            if (!known.Contains(key))
            {
                throw new InvalidSettingException($"{Section}.{key}", $"unknown key; the cluster section has {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }

        var settings = new ClusterSettings
        {
            MinWorkers = Int(section, "min-workers", 1),
            Transport = section.GetString("transport", "lane"),
            SliceBytes = Int(section, "slice-bytes", 120_000),
            LanePort = Int(section, "lane-port", 0),
            LaneSliceBytes = Int(section, "lane-slice-bytes", 64_000_000),
            StepTimeout = Duration(section, "step-timeout", TimeSpan.FromSeconds(30)),
            MaxMissedSteps = Int(section, "max-missed-steps", 3),
            JoinTimeout = Duration(section, "join-timeout", TimeSpan.FromSeconds(60)),
            DownAfter = Duration(section, "down-after", TimeSpan.FromSeconds(3)),
            Exchange = ExchangeSettings.Create(section),
            Tls = ReadTls(section),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    public void Validate()
    {
        if (MinWorkers < 1)
        {
            throw new InvalidSettingException($"{Section}.min-workers", $"must be at least 1, got {MinWorkers}.");
        }

        if (Transport is not ("lane" or "akka"))
        {
            throw new InvalidSettingException($"{Section}.transport", $"\"{Transport}\" is not a transport; expected lane or akka.");
        }

        if (LanePort is < 0 or > 65535)
        {
            throw new InvalidSettingException($"{Section}.lane-port", $"must be a port number (0 for any free one), got {LanePort}.");
        }

        if (LaneSliceBytes is < 1024 or > 512_000_000)
        {
            throw new InvalidSettingException($"{Section}.lane-slice-bytes", $"must be between 1024 and 512000000, got {LaneSliceBytes}.");
        }

        if (SliceBytes is < 1024 or > 16_000_000)
        {
            throw new InvalidSettingException($"{Section}.slice-bytes", $"must be between 1024 and 16000000, got {SliceBytes}.");
        }

        if (MaxMissedSteps < 1)
        {
            throw new InvalidSettingException($"{Section}.max-missed-steps", $"must be at least 1, got {MaxMissedSteps}.");
        }

        if (Tls.Enabled)
        {
            foreach (var (key, path) in new[] { ("ca", Tls.Ca), ("certificate", Tls.Certificate), ("key", Tls.Key) })
            {
                if (string.IsNullOrWhiteSpace(path))
                {
                    throw new InvalidSettingException($"{Section}.tls.{key}", "is needed with tls.enabled = on: a PEM file (backprop certs writes them).");
                }

                if (!File.Exists(path))
                {
                    throw new InvalidSettingException($"{Section}.tls.{key}", $"the file \"{path}\" does not exist.");
                }
            }
        }

        foreach (var (key, value) in new[] { ("step-timeout", StepTimeout), ("join-timeout", JoinTimeout), ("down-after", DownAfter) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new InvalidSettingException($"{Section}.{key}", $"must be a positive duration, got {value}.");
            }
        }
    }

    private static TlsSettings ReadTls(Config section)
    {
        var tls = section.GetConfig("tls");
        if (tls is null || tls.IsEmpty)
        {
            return new TlsSettings();
        }

        string[] known = ["enabled", "ca", "certificate", "key"];
        foreach (var key in tls.Root.GetObject().Items.Keys.Where(k => !known.Contains(k)))
        {
            throw new InvalidSettingException($"{Section}.tls.{key}", $"unknown key; the tls section has {string.Join(", ", known)}.");
        }

        bool enabled;
        try
        {
            enabled = tls.GetBoolean("enabled", false);
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or InvalidCastException)
        {
            throw new InvalidSettingException($"{Section}.tls.enabled", $"expected on or off, got \"{tls.GetString("enabled")}\".");
        }

        return new TlsSettings
        {
            Enabled = enabled,
            Ca = tls.GetString("ca", string.Empty),
            Certificate = tls.GetString("certificate", string.Empty),
            Key = tls.GetString("key", string.Empty),
        };
    }

    private static int Int(Config section, string key, int fallback)
    {
        try
        {
            return section.HasPath(key) ? section.GetInt(key) : fallback;
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or InvalidCastException)
        {
            throw new InvalidSettingException($"{Section}.{key}", $"expected a whole number, got \"{section.GetString(key)}\".");
        }
    }

    private static TimeSpan Duration(Config section, string key, TimeSpan fallback)
    {
        try
        {
            return section.HasPath(key) ? section.GetTimeSpan(key, fallback, allowInfinite: false) : fallback;
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or InvalidCastException or ArgumentException)
        {
            throw new InvalidSettingException($"{Section}.{key}", $"expected a duration such as 30s, got \"{section.GetString(key)}\".");
        }
    }
}
