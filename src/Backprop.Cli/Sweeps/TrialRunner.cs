using System.CommandLine;
using System.Diagnostics;
using Backprop.Cli.Commands;
using Backprop.Cli.Metrics;
using Backprop.Cli.Runs;
using Backprop.Cluster.Hosting;
using Backprop.Nn.Jobs;

namespace Backprop.Cli.Sweeps;

/// <summary>
/// Runs one trial as <c>backprop train --run-dir TRIAL --json</c> would, through <see cref="TrainCommand.Run"/>
/// itself, so a trial's folder holds everything a trained run's does (config.conf, checkpoint, model,
/// summary.json, metrics.jsonl, evaluation.json, plots, train.log). The grid's values are the last
/// configuration layer, above the file, the environment and the flags.
/// </summary>
internal static class TrialRunner
{
    private const string ErrorPrefix = "error: ";

    /// <summary>Trains <paramref name="trial"/>: from its checkpoint when an earlier attempt left one, else afresh.</summary>
    /// <param name="trial">The trial, with its run folder.</param>
    /// <param name="overrides">The keys the trial's values set, as HOCON value text.</param>
    /// <param name="configFile">The sweep's base configuration file, or null.</param>
    /// <param name="workers">Workers of an in-process cluster; 0 trains here.</param>
    /// <returns>The trial, finished, failed (with the error) or interrupted.</returns>
    public static TrialRecord Run(TrialRecord trial, IReadOnlyList<KeyValuePair<string, string>> overrides, string? configFile, int workers)
    {
        string runDirectory = trial.RunDir;
        bool resume = File.Exists(Path.Combine(runDirectory, RunFiles.Checkpoint)) && File.Exists(Path.Combine(runDirectory, RunFiles.Config));
        if (!resume && Directory.Exists(runDirectory))
        {
            // Killed before its first checkpoint: nothing to continue from, so the folder starts clean.
            Directory.Delete(runDirectory, recursive: true);
        }

        // An earlier attempt's summary must not be taken for this one's.
        string summaryPath = Path.Combine(runDirectory, RunFiles.Summary);
        if (File.Exists(summaryPath))
        {
            File.Delete(summaryPath);
        }

        var flags = new TrainFlags();
        var command = new Command("train");
        flags.AddTo(command);
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () => TrainCommand.Run(parse, flags, Execute(workers), overrides, resumeAnyway: resume)));
        List<string> args = ["--run-dir", runDirectory, "--json", "--no-progress"];
        if (configFile is not null)
        {
            args.AddRange(["--config", configFile]);
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var clock = Stopwatch.StartNew();
        int code;
        try
        {
            code = command.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever one trial throws is that trial's failure; the sweep goes on.
            return trial with { Status = TrialStatus.Failed, Error = $"{e.GetType().Name}: {e.Message}", WallSeconds = Seconds(clock) };
        }

        var summary = RunSummaryFile.TryRead(runDirectory);
        if (code == 0 && summary is { Completed: true })
        {
            return trial with
            {
                Status = TrialStatus.Finished,
                Error = null,
                TestAccuracy = summary.TestAccuracy,
                TestLoss = summary.TestLoss,
                TestMse = summary.TestMse,
                TestMae = summary.TestMae,
                TestR2 = summary.TestR2,
                Epochs = summary.Epochs,
                WallSeconds = WallSeconds(runDirectory) ?? summary.WallSeconds,
            };
        }

        if (summary is { Completed: false, Failure: null })
        {
            return trial with { Status = TrialStatus.Interrupted, Epochs = summary.Epochs, WallSeconds = summary.WallSeconds };
        }

        string reason = summary?.Failure ?? LastError(error.ToString()) ?? $"train ended with exit code {code}.";
        return trial with { Status = TrialStatus.Failed, Error = reason, WallSeconds = Seconds(clock) };
    }

    /// <summary>Trains locally, or on a coordinator and <paramref name="workers"/> workers in this process as <c>train --workers</c> does.</summary>
    private static TrainCommand.Execute Execute(int workers) => workers == 0
        ? (job, _, observer, say, cancel) => (LocalTrainingJob.Run(job, observer, say, cancel), null)
        : (job, cluster, observer, say, cancel) =>
        {
            var summary = ClusterRun.InProcessAsync(job, cluster, workers, job.Settings.Training.Threads, observer, say, cancel).GetAwaiter().GetResult();
            return (summary.Training, summary);
        };

    /// <summary>The run's wall time over all its attempts, which its metrics carry on across a resume; null without metrics.</summary>
    private static double? WallSeconds(string runDirectory)
    {
        try
        {
            return MetricsFile.Read(runDirectory) is { Count: > 0 } lines ? Math.Round(lines[^1].WallS, 3) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? LastError(string text) =>
        text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(ErrorPrefix, StringComparison.Ordinal)) is { } line ? line[ErrorPrefix.Length..] : null;

    private static double Seconds(Stopwatch clock) => Math.Round(clock.Elapsed.TotalSeconds, 3);
}
