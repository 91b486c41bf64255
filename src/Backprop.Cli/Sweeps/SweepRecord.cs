using System.Text.Json.Serialization;

namespace Backprop.Cli.Sweeps;

/// <summary>
/// The contents of a sweep folder's <c>sweep.json</c> (and of <c>sweep --json</c>): how the sweep was
/// asked for, so that <c>--resume</c> rebuilds the same trials, and every trial's state.
/// </summary>
internal sealed record SweepRecord
{
    /// <summary>The sweep folder's name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The base configuration file, as given; null for the defaults.</summary>
    public string? Config { get; init; }

    /// <summary>The swept settings.</summary>
    public IReadOnlyList<GridAxisRecord> Grid { get; init; } = [];

    /// <summary><c>grid</c> (every combination) or <c>random</c>.</summary>
    public string Sampling { get; init; } = SweepSampling.Grid;

    /// <summary>With random sampling: the trials asked for.</summary>
    public int? RandomTrials { get; init; }

    /// <summary>With random sampling: its seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Workers of each trial's in-process cluster; 0 trains locally.</summary>
    public int Workers { get; init; }

    /// <summary>The metric the best trial is chosen by, e.g. <c>test-accuracy</c>.</summary>
    public string? Metric { get; init; }

    /// <summary>The best trial's id, once one has finished.</summary>
    public string? Best { get; init; }

    /// <summary>The best trial's value of <see cref="Metric"/>.</summary>
    public double? BestValue { get; init; }

    /// <summary>Whether every trial has ended (finished or failed).</summary>
    public bool Completed { get; init; }

    /// <summary>The trials, in grid order.</summary>
    [JsonPropertyName("trials")]
    public IReadOnlyList<TrialRecord> TrialList { get; init; } = [];
}

/// <summary>One swept setting in <c>sweep.json</c>.</summary>
internal sealed record GridAxisRecord
{
    /// <summary>The name given on the command line.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The full configuration key.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>The values, in order.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];
}

/// <summary>The ways trials are drawn from a grid.</summary>
internal static class SweepSampling
{
    /// <summary>Every combination.</summary>
    public const string Grid = "grid";

    /// <summary>A seeded sample of distinct combinations.</summary>
    public const string Random = "random";
}
