using System.CommandLine;
using System.Globalization;

namespace Backprop.Cli.Commands;

/// <summary>The options of <c>train</c> (and later <c>coordinator</c>); each setting flag overrides one configuration key.</summary>
internal sealed class TrainFlags
{
    public Option<string?> Config { get; } = new("--config") { Description = "A HOCON configuration file (see configs/); flags override its keys." };

    public Option<string?> Data { get; } = new("--data") { Description = "Training data: an IDX folder or file, a CSV file, or builtin:NAME (backprop.data.path)." };

    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Passes over the training set (backprop.training.epochs)." };

    public Option<int?> Batch { get; } = new("--batch") { Description = "Samples per step, the global batch (backprop.training.batch-size)." };

    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Base learning rate (backprop.optimizer.learning-rate)." };

    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad (backprop.optimizer.name)." };

    public Option<long?> Seed { get; } = new("--seed") { Description = "The random seed of everything: initialisation, order, splits, dropout (backprop.training.seed)." };

    public Option<int?> Threads { get; } = new("--threads") { Description = "Threads of the matrix products; 0 for every core (backprop.training.threads)." };

    public Option<string?> RunDir { get; } = new("--run-dir") { Description = "The run folder (default runs/<time>-<name>/; with --resume, the latest run)." };

    public Option<int?> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Steps between checkpoints, besides every epoch end (backprop.training.checkpoint-every)." };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run in --run-dir (default: the latest) from its checkpoint, on the same trajectory." };

    public Option<string?> InitFrom { get; } = new("--init-from") { Description = "Start from a saved model (a model file or run folder) instead of random weights." };

    public Option<int?> FreezeLayers { get; } = new("--freeze-layers") { Description = "With --init-from: layers from the input side not to train." };

    public Option<bool> ReplaceOutput { get; } = new("--replace-output") { Description = "With --init-from: a new output layer for this data's classes." };

    public Option<bool> Json { get; } = new("--json") { Description = "End stdout with one JSON object summarising the run; progress goes to stderr." };

    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Plain lines instead of a progress bar." };

    public Option<double> TargetAccuracy { get; } = new("--target-accuracy")
    {
        Description = "The test accuracy whose first reaching is timed in the summary.",
        DefaultValueFactory = _ => 0.88,
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Config, Data, Epochs, Batch, LearningRate, Optimizer, Seed, Threads, RunDir, CheckpointEvery, Resume, InitFrom, FreezeLayers, ReplaceOutput, Json, NoProgress, TargetAccuracy })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The configuration keys the given flags set, as HOCON value text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Overrides(ParseResult parse)
    {
        var overrides = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                overrides.Add(new(key, value));
            }
        }

        Add("backprop.data.path", Quote(parse.GetValue(Data)));
        Add("backprop.training.epochs", Number(parse.GetValue(Epochs)));
        Add("backprop.training.batch-size", Number(parse.GetValue(Batch)));
        Add("backprop.optimizer.learning-rate", parse.GetValue(LearningRate)?.ToString("R", CultureInfo.InvariantCulture));
        Add("backprop.optimizer.name", Quote(parse.GetValue(Optimizer)));
        Add("backprop.training.seed", parse.GetValue(Seed)?.ToString(CultureInfo.InvariantCulture));
        Add("backprop.training.threads", Number(parse.GetValue(Threads)));
        Add("backprop.training.checkpoint-every", Number(parse.GetValue(CheckpointEvery)));
        Add("backprop.training.init-from", Quote(parse.GetValue(InitFrom)));
        Add("backprop.training.freeze-layers", Number(parse.GetValue(FreezeLayers)));
        if (parse.GetValue(ReplaceOutput))
        {
            Add("backprop.training.replace-output", "on");
        }

        return overrides;
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Quote(string? value) =>
        value is null ? null : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
