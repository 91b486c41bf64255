using System.Globalization;
using System.Text.Json;
using Akka.Configuration;
using Backprop.Cli.Metrics;
using Backprop.Cli.Rendering;
using Backprop.Cluster.Configuration;
using Backprop.Nn.Jobs;

namespace Backprop.Cli.Runs;

/// <summary>
/// What a run folder holds, read for <c>runs</c> and <c>report</c>: the configuration, the summary,
/// the test evaluation and the metrics, each null (or empty) when the file is absent or unreadable,
/// so that one damaged folder never hides the others.
/// </summary>
internal sealed record RunFolder
{
    /// <summary>Files changed this recently, with no summary since, mean a process is still training the run.</summary>
    private static readonly TimeSpan RunningWindow = TimeSpan.FromMinutes(2);

    /// <summary>The folder.</summary>
    public required string Path { get; init; }

    /// <summary>The folder's name.</summary>
    public string Name => System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(Path));

    /// <summary>When the run started: the stamp of its folder name, else its configuration file's time.</summary>
    public DateTime Started { get; init; }

    /// <summary>The resolved configuration (reference.conf under the stored one); null without <c>config.conf</c>.</summary>
    public Config? Config { get; init; }

    /// <summary>The text of <c>config.conf</c>.</summary>
    public string? ConfigText { get; init; }

    /// <summary>The final (or interrupted) summary.</summary>
    public TrainSummaryJson? Summary { get; init; }

    /// <summary>The test evaluation of a finished run.</summary>
    public EvaluationJson? Evaluation { get; init; }

    /// <summary>The metrics lines; empty without a metrics file.</summary>
    public IReadOnlyList<MetricsLine> Metrics { get; init; } = [];

    /// <summary>Whether the folder has a metrics file.</summary>
    public bool HasMetrics { get; init; }

    /// <summary>How far the run got.</summary>
    public RunState State { get; init; }

    /// <summary>The last epoch line of the metrics.</summary>
    public MetricsLine? LastEpoch => Metrics.LastOrDefault(l => l.Kind == MetricsLine.EpochKind);

    /// <summary>Wall seconds of the whole run, resumes included where the metrics tell; else the last process's.</summary>
    public double? WallSeconds => Metrics.Count > 0 ? Metrics[^1].WallS : Summary?.WallSeconds;

    /// <summary>The final test accuracy, else the last epoch's.</summary>
    public double? TestAccuracy => Summary?.TestAccuracy ?? LastEpoch?.TestAccuracy;

    /// <summary>The final test loss, else the last epoch's.</summary>
    public double? TestLoss => Summary?.TestLoss ?? LastEpoch?.TestLoss;

    /// <summary>A key of the configuration as text, or null.</summary>
    /// <param name="key">The full key, e.g. <c>backprop.optimizer.name</c>.</param>
    public string? Setting(string key)
    {
        try
        {
            return Config is not null && Config.HasPath(key) ? Config.GetString(key) : null;
        }
        catch (Exception e) when (e is ConfigurationException or InvalidCastException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="path"/> looks like a run folder (it has a configuration, summary or metrics).</summary>
    /// <param name="path">The folder.</param>
    public static bool IsRunFolder(string path) =>
        File.Exists(System.IO.Path.Combine(path, RunFiles.Config))
        || File.Exists(System.IO.Path.Combine(path, RunFiles.Summary))
        || File.Exists(System.IO.Path.Combine(path, RunArtifacts.Metrics));

    /// <summary>Reads a run folder.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="now">The time now (for telling a running run).</param>
    /// <exception cref="DirectoryNotFoundException">There is no such folder.</exception>
    public static RunFolder Read(string path, DateTime now)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{path}: no such run folder.");
        }

        string configPath = System.IO.Path.Combine(path, RunFiles.Config);
        string? configText = TryRead(configPath);
        var summary = TryJson(System.IO.Path.Combine(path, RunFiles.Summary), text => JsonSerializer.Deserialize(text, CliJsonContext.Default.TrainSummaryJson));
        bool hasMetrics = File.Exists(MetricsFile.PathIn(path));
        IReadOnlyList<MetricsLine> metrics = [];
        if (hasMetrics)
        {
            try
            {
                metrics = MetricsFile.Read(path);
            }
            catch (IOException)
            {
                // Unreadable right now: shown as a run without metrics.
            }
        }

        return new RunFolder
        {
            Path = path,
            Started = StartedAt(path, configPath),
            Config = configText is null ? null : ParseConfig(configPath),
            ConfigText = configText,
            Summary = summary,
            Evaluation = TryJson(System.IO.Path.Combine(path, RunArtifacts.Evaluation), text => JsonSerializer.Deserialize(text, CliJsonContext.Default.EvaluationJson)),
            Metrics = metrics,
            HasMetrics = hasMetrics,
            State = StateOf(path, summary, now),
        };
    }

    private static RunState StateOf(string path, TrainSummaryJson? summary, DateTime now)
    {
        DateTime written = new[] { MetricsFile.PathIn(path), System.IO.Path.Combine(path, RunFiles.Checkpoint), System.IO.Path.Combine(path, RunFiles.Log) }
            .Where(File.Exists)
            .Select(File.GetLastWriteTime)
            .DefaultIfEmpty(DateTime.MinValue)
            .Max();
        string summaryPath = System.IO.Path.Combine(path, RunFiles.Summary);

        // The log's last line is written just after the summary: a few seconds of grace.
        bool writtenSinceSummary = summary is null || written > File.GetLastWriteTime(summaryPath).AddSeconds(5);
        if (writtenSinceSummary && now - written < RunningWindow)
        {
            return RunState.Running;
        }

        return summary is { Completed: true } ? RunState.Finished : RunState.Interrupted;
    }

    private static DateTime StartedAt(string path, string configPath)
    {
        string name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path));
        if (name.Length >= 15 && DateTime.TryParseExact(name[..15], "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamp))
        {
            return stamp;
        }

        return File.Exists(configPath) ? File.GetLastWriteTime(configPath) : Directory.GetLastWriteTime(path);
    }

    private static Config? ParseConfig(string configPath)
    {
        try
        {
            return SettingsReader.LoadConfig(configPath, []);
        }
        catch (Exception e) when (e is ConfigurationException or Nn.Settings.InvalidSettingException or IOException)
        {
            return null;
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static T? TryJson<T>(string path, Func<string, T?> parse)
        where T : class
    {
        string? text = TryRead(path);
        try
        {
            return text is null ? null : parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
