namespace Backprop.Cli.Sweeps;

/// <summary>One trial as <c>sweep.json</c> records it (snake_case keys).</summary>
internal sealed record TrialRecord
{
    /// <summary>The trial's position in the full grid.</summary>
    public long Index { get; init; }

    /// <summary>The trial's id, also its run folder's name.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Each swept setting's value, by the name the grid gave it.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>A <see cref="TrialStatus"/> value.</summary>
    public string Status { get; init; } = TrialStatus.Pending;

    /// <summary>The trial's run folder.</summary>
    public string RunDir { get; init; } = string.Empty;

    /// <summary>Final test accuracy (classification).</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>Final test loss.</summary>
    public double? TestLoss { get; init; }

    /// <summary>Final test mean squared error (regression).</summary>
    public double? TestMse { get; init; }

    /// <summary>Final test mean absolute error (regression).</summary>
    public double? TestMae { get; init; }

    /// <summary>Final test R² (regression).</summary>
    public double? TestR2 { get; init; }

    /// <summary>Epochs trained.</summary>
    public int? Epochs { get; init; }

    /// <summary>Seconds the trial took (its last attempt when resumed).</summary>
    public double? WallSeconds { get; init; }

    /// <summary>Why a failed trial failed.</summary>
    public string? Error { get; init; }
}
