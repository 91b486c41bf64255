using System.CommandLine;

namespace Backprop.Cli.Commands;

/// <summary>The options of <c>sweep</c>.</summary>
internal sealed class SweepOptions
{
    public Option<string?> Config { get; } = new("--config") { Description = "The base HOCON configuration file every trial starts from; the grid's values override it." };

    public Option<string[]> Grid { get; } = new("--grid")
    {
        Description = "Settings and their values, e.g. \"lr=0.01,0.1 batch=64,128\": short names lr, batch, epochs, optimizer, seed, momentum, weight-decay, clip-norm, schedule, hidden (widths such as 256x128), or any full key.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> Random { get; } = new("--random") { Description = "Draw --trials distinct combinations at random (seeded by --seed) instead of running the whole grid." };

    public Option<int?> Trials { get; } = new("--trials") { Description = "With --random: how many combinations to draw." };

    public Option<int> Seed { get; } = new("--seed")
    {
        Description = "The seed of --random's draw (the trials' own seed is the configuration's; sweep it with seed=...).",
        DefaultValueFactory = _ => 0,
    };

    public Option<string?> Root { get; } = new("--root") { Description = "The folder sweep folders are made in (default sweeps/)." };

    public Option<string?> Name { get; } = new("--name") { Description = "The sweep folder's name under --root (default <time>-<config name>); with --resume, the sweep to continue." };

    public Option<int?> Workers { get; } = new("--workers") { Description = "Train each trial on an in-process cluster of this many workers, as train --workers does; 0: locally." };

    public Option<string?> Metric { get; } = new("--metric") { Description = "The best trial's metric: test-accuracy (default for classification), test-loss (default otherwise), test-mse, test-mae or test-r2." };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the sweep named by --name (default: the one under --root written last): trials that finished or failed are kept, an interrupted one continues from its checkpoint, the rest run." };

    public Option<bool> Json { get; } = new("--json") { Description = "End stdout with one JSON object: the sweep record (as sweep.json); progress goes to stderr." };

    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Plain lines instead of a live table." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Config, Grid, Random, Trials, Seed, Root, Name, Workers, Metric, Resume, Json, NoProgress })
        {
            command.Options.Add(option);
        }
    }
}
