using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backprop.Cli.Hosting;
using Backprop.Cli.Runs;
using Backprop.Cli.Sweeps;
using Backprop.Nn.Settings;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop sweep</c>: one training run per combination of a grid of settings, into a sweep folder, and the best of them.</summary>
internal static class SweepCommand
{
    private const string DefaultRoot = "sweeps";

    public static Command Create()
    {
        var options = new SweepOptions();
        var command = new Command(
            "sweep",
            "Train one run per combination of a grid of settings (--grid \"lr=0.01,0.1 batch=64,128\"), each a normal run folder, and save the best one's settings as best.conf.");
        options.AddTo(command);
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () => Run(parse, options)));
        return command;
    }

    private static int Run(ParseResult parse, SweepOptions options)
    {
        var stdout = parse.InvocationConfiguration.Output;
        bool json = parse.GetValue(options.Json);
        var human = json ? parse.InvocationConfiguration.Error : stdout;
        string root = parse.GetValue(options.Root) ?? DefaultRoot;
        string? name = parse.GetValue(options.Name);
        SweepMetric? metric = parse.GetValue(options.Metric) is { } metricName ? SweepMetric.Parse(metricName) : null;
        if (parse.GetValue(options.Workers) is < 0 and var negative)
        {
            throw new InvalidSettingException("--workers", $"must be 0 or more, got {negative}.");
        }

        var (directory, sweep, plan) = parse.GetValue(options.Resume) ? Resumed(parse, options, root, name, human) : Started(parse, options, root, name, human);
        var checkedTrials = SweepTrials.Check(sweep.Config, plan.Axes, plan.Trials);
        if (!File.Exists(SweepFile.PathIn(directory)))
        {
            Directory.CreateDirectory(directory);
            SweepFile.Write(directory, sweep);
        }

        var byId = plan.Trials.ToDictionary(t => t.Id, StringComparer.Ordinal);
        int workers = sweep.Workers;
        TrialRecord Train(TrialRecord trial) => TrialRunner.Run(trial, checkedTrials.Overrides(byId[trial.Id]), sweep.Config, workers);

        using var interruption = new Interruption();
        bool live = !parse.GetValue(options.NoProgress) && !json && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(human) });
        human.WriteLine($"sweep folder: {directory} ({sweep.TrialList.Count} trials{(workers > 0 ? $", each on {workers} workers" : string.Empty)})");
        if (live)
        {
            console.Live(SweepTable.Render(sweep)).AutoClear(false).Start(context =>
            {
                sweep = new SweepRunner(directory, new LiveSweepView(context), Train).Run(sweep, metric, interruption.Token);

                // Once more with the best trial marked.
                context.UpdateTarget(SweepTable.Render(sweep));
            });
        }
        else
        {
            sweep = new SweepRunner(directory, new PlainSweepView(human), Train).Run(sweep, metric, interruption.Token);
        }

        Conclude(human, directory, sweep, root);
        if (json)
        {
            var compact = new SweepJsonContext(new JsonSerializerOptions(SweepJsonContext.Default.Options) { WriteIndented = false });
            stdout.WriteLine(JsonSerializer.Serialize(sweep, compact.SweepRecord));
        }

        if (interruption.Token.IsCancellationRequested)
        {
            return interruption.ExitCode;
        }

        return sweep.Best is null ? CliErrors.Failed : 0;
    }

    /// <summary>A new sweep: the grid and sampling from the command line, a new folder.</summary>
    private static (string Directory, SweepRecord Sweep, SweepPlan Plan) Started(ParseResult parse, SweepOptions options, string root, string? name, TextWriter human)
    {
        string[] grid = parse.GetValue(options.Grid) ?? [];
        if (grid.Length == 0)
        {
            throw new InvalidSettingException("--grid", "is required: the settings to sweep, e.g. --grid \"lr=0.01,0.1 batch=64,128\".");
        }

        var axes = GridParser.Parse(grid);
        bool random = parse.GetValue(options.Random);
        int? count = parse.GetValue(options.Trials);
        if (count is not null && !random)
        {
            throw new InvalidSettingException("--trials", "needs --random: without it every combination of the grid runs.");
        }

        if (random && count is null or < 1)
        {
            throw new InvalidSettingException("--random", count is null ? "needs --trials N, the number of combinations to draw." : $"--trials must be 1 or more, got {count}.");
        }

        int seed = parse.GetValue(options.Seed);
        long combinations = TrialPlan.Combinations(axes);
        if (random && count >= combinations)
        {
            human.WriteLine($"--trials {count}: the grid has {combinations} combinations, so every one runs.");
        }

        var plan = new SweepPlan(axes, random ? TrialPlan.Random(axes, count!.Value, seed) : TrialPlan.Grid(axes));
        string? config = parse.GetValue(options.Config) ?? Cluster.Configuration.EnvironmentOverrides.ConfigFile(Environment.GetEnvironmentVariables());

        // The base settings name the folder; reading them here also reports a bad file before anything is written.
        var baseSettings = SweepTrials.Check(config, axes, []).BaseSettings;
        name ??= Path.GetFileName(RunDirectory.New(RunDirectory.NameFor(config, baseSettings.Data.Path), DateTime.Now));
        string directory = Path.Combine(root, name);
        if (File.Exists(SweepFile.PathIn(directory)))
        {
            throw new InvalidSettingException("--name", $"{directory} already holds a sweep; continue it with --resume --name {name}, or choose another name.");
        }

        var sweep = new SweepRecord
        {
            Name = name,
            Config = config,
            Grid = [.. axes.Select(a => new GridAxisRecord { Name = a.Name, Key = a.Key, Values = a.Values })],
            Sampling = random ? SweepSampling.Random : SweepSampling.Grid,
            RandomTrials = random ? count : null,
            Seed = random ? seed : null,
            Workers = parse.GetValue(options.Workers) ?? 0,
            TrialList = [.. plan.Trials.Select(t => new TrialRecord
            {
                Index = t.Index,
                Id = t.Id,
                Parameters = axes.Select((a, i) => (a.Name, t.Values[i])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal),
                RunDir = Path.Combine(directory, t.Id),
            })],
        };
        return (directory, sweep, plan);
    }

    /// <summary>A sweep carried on: everything from its sweep.json; what the command line repeats must agree with it.</summary>
    private static (string Directory, SweepRecord Sweep, SweepPlan Plan) Resumed(ParseResult parse, SweepOptions options, string root, string? name, TextWriter human)
    {
        string directory = name is not null ? Path.Combine(root, name)
            : LatestSweep(root) ?? throw new InvalidSettingException("--resume", $"there is no sweep under {root}/ to resume; give --root or --name.");
        var sweep = SweepFile.Read(directory);
        var axes = sweep.Grid.Select(a => new GridAxis(a.Name, a.Key, a.Values)).ToList();
        string[] grid = parse.GetValue(options.Grid) ?? [];
        if (grid.Length > 0 && !SameGrid(GridParser.Parse(grid), axes))
        {
            throw new InvalidSettingException("--grid", $"differs from the grid of the sweep in {directory} ({string.Join(' ', axes.Select(a => $"{a.Name}={string.Join(',', a.Values)}"))}); leave --grid out to resume it.");
        }

        if (parse.GetValue(options.Config) is { } config && config != sweep.Config)
        {
            throw new InvalidSettingException("--config", $"the sweep in {directory} was started with {sweep.Config ?? "no configuration file"}; leave --config out to resume it.");
        }

        if (parse.GetValue(options.Workers) is { } workers)
        {
            sweep = sweep with { Workers = workers };
        }

        var trials = sweep.Sampling == SweepSampling.Random
            ? TrialPlan.Random(axes, sweep.RandomTrials ?? 1, sweep.Seed ?? 0)
            : TrialPlan.Grid(axes);
        if (!trials.Select(t => t.Id).SequenceEqual(sweep.TrialList.Select(t => t.Id), StringComparer.Ordinal))
        {
            throw new IOException($"{SweepFile.PathIn(directory)}: its trials are not the ones its grid gives; was the file edited? Start a new sweep.");
        }

        int ended = sweep.TrialList.Count(t => TrialStatus.IsDone(t.Status));
        human.WriteLine($"resuming: {ended} of {sweep.TrialList.Count} trials had ended (finished or failed) and are kept; the others run, an interrupted one from its checkpoint.");
        return (directory, sweep, new SweepPlan(axes, trials));
    }

    private static void Conclude(TextWriter human, string directory, SweepRecord sweep, string root)
    {
        int finished = sweep.TrialList.Count(t => t.Status == TrialStatus.Finished);
        int failed = sweep.TrialList.Count(t => t.Status == TrialStatus.Failed);
        human.WriteLine($"{finished} finished, {failed} failed, {sweep.TrialList.Count - finished - failed} not run or interrupted; every trial's state is in {SweepFile.PathIn(directory)}");
        if (sweep.Best is { } id)
        {
            var best = sweep.TrialList.First(t => t.Id == id);
            string parameters = string.Join(' ', best.Parameters.Select(p => $"{p.Key}={p.Value}"));
            string value = sweep.BestValue?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-";
            human.WriteLine($"best by {sweep.Metric}: {id} ({parameters}), {value}; run folder {best.RunDir}");
            human.WriteLine($"its settings: {Path.Combine(directory, SweepFile.BestConfig)} (backprop train --config {Path.Combine(directory, SweepFile.BestConfig)})");
        }
        else
        {
            human.WriteLine("no trial has finished, so there is no best yet.");
        }

        if (!sweep.Completed)
        {
            human.WriteLine($"continue with: backprop sweep --resume --root {root} --name {sweep.Name}");
        }
    }

    private static bool SameGrid(IReadOnlyList<GridAxis> given, List<GridAxis> stored) =>
        given.Count == stored.Count && given.Zip(stored).All(pair => pair.First.SameAs(pair.Second));

    private static string? LatestSweep(string root) =>
        !Directory.Exists(root) ? null : Directory.GetDirectories(root)
            .Where(d => File.Exists(SweepFile.PathIn(d)))
            .OrderBy(d => File.GetLastWriteTimeUtc(SweepFile.PathIn(d)))
            .LastOrDefault();
}
