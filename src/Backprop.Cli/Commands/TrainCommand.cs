using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backprop.Cli.Hosting;
using Backprop.Cli.Rendering;
using Backprop.Cli.Runs;
using Backprop.Cluster.Configuration;
using Backprop.Nn.Jobs;
using Backprop.Nn.Settings;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop train</c>: a training run on this machine, into a run folder.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var flags = new TrainFlags();
        var command = new Command("train", "Train a network. With no flags: the builtin Fashion-MNIST subset, a 256-128 ReLU MLP, SGD with momentum.");
        flags.AddTo(command);
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () => Run(parse, flags)));
        return command;
    }

    private static int Run(ParseResult parse, TrainFlags flags)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var stderr = parse.InvocationConfiguration.Error;
        bool json = parse.GetValue(flags.Json);
        var human = json ? stderr : stdout;

        bool resume = parse.GetValue(flags.Resume);
        string? runDirectory = parse.GetValue(flags.RunDir);
        string? configFile = parse.GetValue(flags.Config);
        if (resume)
        {
            runDirectory ??= RunDirectory.Latest() ?? throw new InvalidSettingException("--resume", $"there is no run folder under {RunDirectory.Root}/ to resume; give --run-dir.");
            string stored = Path.Combine(runDirectory, RunFiles.Config);
            if (!File.Exists(stored))
            {
                throw new FileNotFoundException($"{stored}: the run folder has no resolved configuration to resume with.", stored);
            }

            // The run's own resolved configuration, so the resumed run is the same run; flags still override.
            configFile = stored;
        }

        var settings = SettingsReader.Load(configFile, flags.Overrides(parse));
        runDirectory ??= RunDirectory.New(RunDirectory.NameFor(parse.GetValue(flags.Config), settings.Data.Path), DateTime.Now);
        Directory.CreateDirectory(runDirectory);
        string configText = SettingsWriter.ToHocon(settings);
        if (!resume || !File.Exists(Path.Combine(runDirectory, RunFiles.Config)))
        {
            File.WriteAllText(Path.Combine(runDirectory, RunFiles.Config), configText);
        }

        using var log = new RunLog(Path.Combine(runDirectory, RunFiles.Log));
        void Say(string line)
        {
            human.WriteLine(line);
            log.Write(line);
        }

        Say($"run folder: {runDirectory}");
        var options = new TrainingJobOptions
        {
            Settings = settings,
            ConfigText = configText,
            RunDirectory = runDirectory,
            Resume = resume,
            TargetAccuracy = parse.GetValue(flags.TargetAccuracy),
        };

        using var interruption = new Interruption();
        bool live = !parse.GetValue(flags.NoProgress) && !json && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(human) });
        TrainingSummary? summary = null;
        if (live)
        {
            console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context => summary = LocalTrainingJob.Run(options, new LiveTrainingView(context, log, settings.Training.Epochs), Say, interruption.Token));
        }
        else
        {
            summary = LocalTrainingJob.Run(options, new PlainTrainingView(human, log, settings.Training.Epochs), Say, interruption.Token);
        }

        var result = TrainSummaryJson.From(summary!, runDirectory);
        File.WriteAllText(Path.Combine(runDirectory, RunFiles.Summary), JsonSerializer.Serialize(result, CliJsonContext.Default.TrainSummaryJson));
        if (!summary!.Completed)
        {
            Say($"interrupted by {interruption.Signal ?? "a signal"} at step {summary.Steps}; the checkpoint is {summary.CheckpointPath}.");
            Say($"resume with: backprop train --resume --run-dir {runDirectory}");
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
}
