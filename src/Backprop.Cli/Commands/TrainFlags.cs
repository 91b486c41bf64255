using System.CommandLine;
using System.Globalization;

namespace Backprop.Cli.Commands;

/// <summary>The options of <c>train</c> (and later <c>coordinator</c>); each setting flag overrides one configuration key.</summary>
internal sealed class TrainFlags
{
    public Option<string?> Config { get; } = new("--config") { Description = "A HOCON configuration file (see configs/); flags override its keys." };

    public Option<string?> Data { get; } = new("--data") { Description = "Training data: an IDX folder or file, a CSV file, a .bpd file (backprop data convert), or builtin:NAME (backprop.data.path)." };

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

    public Option<int> MetricsEvery { get; } = new("--metrics-every")
    {
        Description = "Steps between the lines of the run folder's metrics.jsonl; every epoch end is logged too.",
        DefaultValueFactory = _ => 10,
    };

    public Option<int> MetricsPort { get; } = new("--metrics-port")
    {
        Description = "Serve /metrics in the Prometheus text format on this port while the run trains; 0: off.",
        DefaultValueFactory = _ => 0,
    };

    public Option<double> TargetAccuracy { get; } = new("--target-accuracy")
    {
        Description = "The test accuracy whose first reaching is timed in the summary.",
        DefaultValueFactory = _ => 0.88,
    };

    public Option<int?> BucketBytes { get; } = new("--bucket-bytes") { Description = "Cluster runs: send the gradient in buckets of whole layers of at least this many bytes during the backward pass; 0 for none (backprop.cluster.exchange.bucket-bytes; docs/scaling.md)." };

    public Option<string?> Compression { get; } = new("--compression") { Description = "Cluster runs: none, bf16, fp16 or top-k on the wire (backprop.cluster.exchange.compression)." };

    public Option<int?> BackupWorkers { get; } = new("--backup-workers") { Description = "Cluster runs: close each step with the first N - k gradients (backprop.cluster.exchange.backup-workers)." };

    public Option<int?> Staleness { get; } = new("--staleness") { Description = "Cluster runs: let a worker compute up to s steps past its weights (backprop.cluster.exchange.staleness)." };

    public Option<int?> Servers { get; } = new("--servers") { Description = "Cluster runs: shard the parameter server K ways; the coordinator waits for K - 1 `backprop server` nodes (backprop.cluster.exchange.servers)." };

    public TrainFlags()
    {
        MetricsEvery.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--metrics-every must be 1 or more, got {result.GetValueOrDefault<int>()}.");
            }
        });
        MetricsPort.Validators.Add(result =>
        {
            int port = result.GetValueOrDefault<int>();
            if (port is < 0 or > 65535)
            {
                result.AddError($"--metrics-port must be a port from 1 to 65535, or 0 for none; got {port}.");
            }
        });
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Config, Data, Epochs, Batch, LearningRate, Optimizer, Seed, Threads, RunDir, CheckpointEvery, Resume, InitFrom, FreezeLayers, ReplaceOutput, Json, NoProgress, MetricsEvery, MetricsPort, TargetAccuracy, BucketBytes, Compression, BackupWorkers, Staleness, Servers })
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
        Add("backprop.cluster.exchange.bucket-bytes", Number(parse.GetValue(BucketBytes)));
        Add("backprop.cluster.exchange.compression", Quote(parse.GetValue(Compression)));
        Add("backprop.cluster.exchange.backup-workers", Number(parse.GetValue(BackupWorkers)));
        Add("backprop.cluster.exchange.staleness", Number(parse.GetValue(Staleness)));
        Add("backprop.cluster.exchange.servers", Number(parse.GetValue(Servers)));
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
