using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backprop.Cli.Hosting;
using Backprop.Cli.Metrics;
using Backprop.Cli.Rendering;
using Backprop.Cli.Runs;
using Backprop.Cluster.Configuration;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;
using Backprop.Nn.Jobs;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop train</c>: a training run on this machine, into a run folder.</summary>
internal static class TrainCommand
{
    /// <summary>EROFS: Linux and macOS report it as the IOException's HResult.</summary>
    private const int ReadOnlyFileSystem = 30;

    public static Command Create()
    {
        var flags = new TrainFlags();
        var workers = new Option<int>("--workers")
        {
            Description = "Train on a cluster of this many workers started in this process (real remoting over loopback); 0: no cluster.",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("train", "Train a network. With no flags: the builtin Fashion-MNIST subset, a 256-128 ReLU MLP, SGD with momentum.");
        flags.AddTo(command);
        command.Options.Add(workers);
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            int count = parse.GetValue(workers);
            if (count < 0)
            {
                throw new InvalidSettingException("--workers", $"must be 0 or more, got {count}.");
            }

            return count == 0
                ? Run(parse, flags, (job, _, observer, say, cancel) => (LocalTrainingJob.Run(job, observer, say, cancel), null))
                : Run(parse, flags, (job, cluster, observer, say, cancel) =>
                {
                    var summary = ClusterRun.InProcessAsync(job, cluster, count, job.Settings.Training.Threads, observer, say, cancel).GetAwaiter().GetResult();
                    return (summary.Training, summary);
                });
        }));
        return command;
    }

    /// <summary>Runs a prepared job here or on a cluster.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cluster">The cluster settings.</param>
    /// <param name="observer">The progress display.</param>
    /// <param name="say">The run's log.</param>
    /// <param name="cancellation">Set by Ctrl+C or SIGTERM.</param>
    /// <returns>The summary, and the cluster's additions if it ran on one.</returns>
    public delegate (TrainingSummary Training, ClusterSummary? Cluster) Execute(
        TrainingJobOptions job, ClusterSettings cluster, ITrainingObserver observer, Action<string> say, CancellationToken cancellation);

    /// <summary>The run folder, configuration, progress display and summary around a job.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="flags">The training flags.</param>
    /// <param name="execute">Runs the job.</param>
    /// <param name="extraOverrides">More configuration keys set by the command (e.g. the coordinator's --min-workers).</param>
    /// <param name="resumeAnyway">Resume the run in --run-dir even without --resume (a standby coordinator taking a job over).</param>
    /// <param name="resultsWritten">
    /// Called once the run folder holds the summary, before it is printed: a coordinator with standbys
    /// leaves its cluster here, so that a standby elected after it finds the job finished.
    /// </param>
    /// <param name="heldLock">The run folder's lock when the caller took it already (a standby coordinator waits for it); else taken here, and a folder in use is an error.</param>
    /// <returns>The exit code.</returns>
    public static int Run(
        ParseResult parse, TrainFlags flags, Execute execute, IReadOnlyList<KeyValuePair<string, string>>? extraOverrides = null, bool resumeAnyway = false, Action? resultsWritten = null, RunFolderLock? heldLock = null)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        bool json = parse.GetValue(flags.Json);
        var human = json ? stderr : stdout;
        bool quiet = Verbosity.IsQuiet(parse);

        bool resume = resumeAnyway || parse.GetValue(flags.Resume);
        string? runDirectory = parse.GetValue(flags.RunDir);
        var config = LoadConfig(parse, flags, resume, ref runDirectory, extraOverrides);
        var settings = SettingsReader.Read(config);
        var cluster = ClusterSettings.Create(config) with { AkkaLogLevel = Verbosity.AkkaLogLevel(parse) };
        var environment = Environment.GetEnvironmentVariables();
        runDirectory ??= RunDirectory.New(RunDirectory.NameFor(parse.GetValue(flags.Config) ?? EnvironmentOverrides.ConfigFile(environment), settings.Data.Path), DateTime.Now);
        string configText = SettingsWriter.ToHocon(settings);

        // Before the run folder exists: a port already taken stops the command with nothing written.
        int metricsPort = parse.GetValue(flags.MetricsPort);
        using var endpoint = metricsPort > 0 ? PrometheusEndpoint.Start(metricsPort, "--metrics-port") : null;
        var (log, folderLock) = OpenRunFolder(runDirectory, configText, resume, heldLock, parse.CommandResult.Command.Name);
        using var releaseFolder = folderLock;
        using var closeLog = log;
        bool live = !quiet && !parse.GetValue(flags.NoProgress) && !json && !Console.IsOutputRedirected;
        var view = live ? new LiveTrainingView(log, settings.Training.Epochs) : null;
        void Say(string line)
        {
            // While the live view is on screen a line printed over it would tear it: it shows the line itself.
            if (!quiet && view?.Post(line) != true)
            {
                human.WriteLine(line);
            }

            log.Write(line);
        }

        Say($"run folder: {runDirectory}");
        if (endpoint is not null)
        {
            Say($"metrics: http://{Environment.MachineName}:{endpoint.Port}/metrics");
        }

        var options = new TrainingJobOptions
        {
            Settings = settings,
            ConfigText = configText,
            RunDirectory = runDirectory,
            Resume = resume,
            TargetAccuracy = parse.GetValue(flags.TargetAccuracy),
        };

        using var interruption = new Interruption();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(human) });
        TrainingSummary? summary = null;
        ClusterSummary? clusterSummary = null;

        // The Prometheus metrics and the metrics file see every step and epoch on the way to the display.
        using var metrics = new MetricsRecorder(
            MetricsFile.PathIn(runDirectory), parse.GetValue(flags.MetricsEvery), (ITrainingObserver?)view ?? new PlainTrainingView(quiet ? TextWriter.Null : human, log, settings.Training.Epochs), Say);
        ITrainingObserver observer = endpoint is null ? metrics : new PrometheusObserver(endpoint.Metrics, metrics);
        if (view is not null)
        {
            (summary, clusterSummary) = LiveViewLoop.Run(console, view, () => execute(options, cluster, observer, Say, interruption.Token));
        }
        else
        {
            (summary, clusterSummary) = execute(options, cluster, observer, Say, interruption.Token);
        }

        var result = TrainSummaryJson.From(summary!, runDirectory, clusterSummary);
        File.WriteAllText(Path.Combine(runDirectory, RunFiles.Summary), JsonSerializer.Serialize(result, CliJsonContext.Default.TrainSummaryJson));
        RunEnding.Write(runDirectory, summary!, Say);
        resultsWritten?.Invoke();
        if (!summary!.Completed)
        {
            Say($"interrupted by {interruption.Signal ?? "a signal"} at step {summary.Steps}; the checkpoint is {summary.CheckpointPath}.");
            Say($"resume with: backprop {parse.CommandResult.Command.Name} --resume --run-dir {runDirectory}");
        }
        else
        {
            log.Write(string.Create(CultureInfo.InvariantCulture, $"done: {summary.Epochs} epochs, {summary.Steps} steps, model {summary.ModelPath}"));
        }

        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.TrainSummaryJson));
        }
        else if (summary.Completed)
        {
            console.Write(SummaryTable.Render(summary, runDirectory));
        }

        return summary.Completed ? 0 : interruption.ExitCode;
    }

    /// <summary>
    /// The run's configuration: the file (with <paramref name="resume"/>, the run folder's own resolved
    /// one, so the resumed run is the same run), then the environment, then the flags; the nearest to
    /// the command wins.
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="flags">The training flags.</param>
    /// <param name="resume">Whether the run in <paramref name="runDirectory"/> is resumed.</param>
    /// <param name="runDirectory">The run folder; with <paramref name="resume"/> and none given, set to the latest run's.</param>
    /// <param name="extraOverrides">More keys set by the command.</param>
    /// <returns>The configuration.</returns>
    public static Akka.Configuration.Config LoadConfig(ParseResult parse, TrainFlags flags, bool resume, ref string? runDirectory, IReadOnlyList<KeyValuePair<string, string>>? extraOverrides)
    {
        var environment = Environment.GetEnvironmentVariables();
        string? configFile = parse.GetValue(flags.Config) ?? EnvironmentOverrides.ConfigFile(environment);
        if (resume)
        {
            runDirectory ??= RunDirectory.Latest() ?? throw new InvalidSettingException("--resume", $"there is no run folder under {RunDirectory.Root}/ to resume; give --run-dir.");
            string stored = Path.Combine(runDirectory, RunFiles.Config);
            if (!File.Exists(stored))
            {
                throw new FileNotFoundException($"{stored}: the run folder has no resolved configuration to resume with.", stored);
            }

            configFile = stored;
        }

        return SettingsReader.LoadConfig(configFile, [.. EnvironmentOverrides.Read(environment), .. flags.Overrides(parse), .. extraOverrides ?? []]);
    }

    /// <summary>Creates the run folder, takes its lock (unless held), writes its config (not over a resumed run's own) and opens its log.</summary>
    private static (RunLog Log, RunFolderLock Lock) OpenRunFolder(string runDirectory, string configText, bool resume, RunFolderLock? heldLock, string command)
    {
        RunFolderLock? taken = null;
        try
        {
            Directory.CreateDirectory(runDirectory);

            // Before anything is written: a second run in the same folder would interleave its checkpoints with the first's.
            var folderLock = heldLock ?? (taken = RunFolderLock.Acquire(runDirectory, $"backprop {command}"));
            if (!resume || !File.Exists(Path.Combine(runDirectory, RunFiles.Config)))
            {
                File.WriteAllText(Path.Combine(runDirectory, RunFiles.Config), configText);
            }

            var opened = (new RunLog(Path.Combine(runDirectory, RunFiles.Log)), folderLock);
            taken = null;
            return opened;
        }
        catch (UnauthorizedAccessException e)
        {
            // The usual cause is a folder mounted into a container that runs as another user.
            throw new UnauthorizedAccessException(
                $"the run folder {runDirectory} cannot be written by the user {Environment.UserName}: {e.Message} In a container, make the mounted host folder writable by the container's user (docs/deploy.md).", e);
        }
        catch (IOException e) when (e.HResult == ReadOnlyFileSystem)
        {
            throw new IOException($"the run folder {runDirectory} is on a file system mounted read-only, so nothing in it was changed; remount it read-write or choose another --run-dir.", e);
        }
        finally
        {
            // Taken here and not handed on: the folder could not be opened.
            taken?.Dispose();
        }
    }
}
