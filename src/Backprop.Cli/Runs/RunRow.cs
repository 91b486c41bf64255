using System.Globalization;
using Backprop.Cli.Metrics;

namespace Backprop.Cli.Runs;

/// <summary>One run as <c>runs</c> lists it (and prints it with <c>--json</c>, snake_case).</summary>
internal sealed record RunRow
{
    /// <summary>The keys <c>--sort</c> takes, in the table's column order.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["name", "time", "dataset", "model", "epochs", "batch", "lr", "optimizer", "accuracy", "loss", "wall", "state"];

    public string Name { get; init; } = string.Empty;

    public string Path { get; init; } = string.Empty;

    public string Started { get; init; } = string.Empty;

    public string? Dataset { get; init; }

    public string? Model { get; init; }

    public int? Epochs { get; init; }

    public int? EpochsPlanned { get; init; }

    public int? Batch { get; init; }

    public double? Lr { get; init; }

    public string? Optimizer { get; init; }

    public int? Workers { get; init; }

    public double? TestAccuracy { get; init; }

    public double? TestLoss { get; init; }

    public double? WallSeconds { get; init; }

    public string State { get; init; } = string.Empty;

    /// <summary>The row of a run folder.</summary>
    /// <param name="run">The folder's contents.</param>
    public static RunRow From(RunFolder run) => new()
    {
        Name = run.Name,
        Path = run.Path,
        Started = run.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        Dataset = run.Setting("backprop.data.path"),
        Model = run.Summary?.Model,
        Epochs = run.Summary?.Epochs ?? run.LastEpoch?.Epoch,
        EpochsPlanned = Int(run.Setting("backprop.training.epochs")),
        Batch = Int(run.Setting("backprop.training.batch-size")),
        Lr = double.TryParse(run.Setting("backprop.optimizer.learning-rate"), NumberStyles.Float, CultureInfo.InvariantCulture, out double lr) ? lr : null,
        Optimizer = run.Setting("backprop.optimizer.name"),
        Workers = run.Summary?.Workers ?? run.Metrics.LastOrDefault(l => l.Kind == MetricsLine.StepKind)?.Workers,
        TestAccuracy = run.TestAccuracy,
        TestLoss = run.TestLoss,
        WallSeconds = run.WallSeconds is { } w ? Math.Round(w, 3) : null,
        State = run.State.ToString().ToLowerInvariant(),
    };

    /// <summary>The rows sorted by <paramref name="key"/> (a <see cref="SortKeys"/> entry, '-' in front for descending); runs without the value last.</summary>
    /// <param name="rows">The rows.</param>
    /// <param name="key">The key.</param>
    /// <exception cref="Nn.Settings.InvalidSettingException">The key is not one of <see cref="SortKeys"/>.</exception>
    public static IReadOnlyList<RunRow> Sort(IEnumerable<RunRow> rows, string key)
    {
        bool descending = key.StartsWith('-');
        string name = key.TrimStart('-').ToLowerInvariant();
        Func<RunRow, IComparable?> value = name switch
        {
            "name" => r => r.Name,
            "time" => r => r.Started,
            "dataset" => r => r.Dataset,
            "model" => r => r.Model,
            "epochs" => r => r.Epochs,
            "batch" => r => r.Batch,
            "lr" => r => r.Lr,
            "optimizer" => r => r.Optimizer,
            "accuracy" => r => r.TestAccuracy,
            "loss" => r => r.TestLoss,
            "wall" => r => r.WallSeconds,
            "state" => r => r.State,
            _ => throw new Nn.Settings.InvalidSettingException("--sort", $"'{key}' is not a column; use one of {string.Join(", ", SortKeys)} ('-' in front for descending)."),
        };

        // Missing values go last whichever the direction; ties keep the folder-name order.
        var present = rows.Where(r => value(r) is not null);
        var sorted = descending
            ? present.OrderByDescending(value, Comparer<IComparable?>.Default)
            : present.OrderBy(value, Comparer<IComparable?>.Default);
        return [.. sorted.ThenBy(r => r.Name, StringComparer.Ordinal), .. rows.Where(r => value(r) is null).OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    private static int? Int(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
}
