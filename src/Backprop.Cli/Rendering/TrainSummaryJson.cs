using Backprop.Cluster.Coordinator;
using Backprop.Nn.Jobs;

namespace Backprop.Cli.Rendering;

/// <summary>The one JSON object <c>train --json</c> ends stdout with (snake_case keys).</summary>
internal sealed record TrainSummaryJson
{
    public bool Completed { get; init; }

    public string RunDir { get; init; } = string.Empty;

    public string Model { get; init; } = string.Empty;

    public int Epochs { get; init; }

    public long Steps { get; init; }

    public double TrainSamplesPerSec { get; init; }

    public double WallSeconds { get; init; }

    public string? ModelPath { get; init; }

    public string CheckpointPath { get; init; } = string.Empty;

    public double? TestAccuracy { get; init; }

    public double? TestLoss { get; init; }

    public double? TestMse { get; init; }

    public double? TestMae { get; init; }

    public double? TestR2 { get; init; }

    public double? TestBaselineMse { get; init; }

    public double TargetAccuracy { get; init; }

    public double? TimeToTargetSeconds { get; init; }

    public int? EpochToTarget { get; init; }

    public bool StoppedEarly { get; init; }

    public int TrainSamples { get; init; }

    public int ValidationSamples { get; init; }

    public int TestSamples { get; init; }

    public int? Workers { get; init; }

    public long? FullSteps { get; init; }

    public long? ShortHandedSteps { get; init; }

    public long? AppliedGradients { get; init; }

    public long? MissingGradients { get; init; }

    public long? LeftOutGradients { get; init; }

    public double? MeanGradientStaleness { get; init; }

    public WireBytesJson? WireBytesPerStep { get; init; }

    public long? RejectedGradients { get; init; }

    public IReadOnlyDictionary<string, long>? RejectedByReason { get; init; }

    public string? Failure { get; init; }

    public double? AllocatedBytesPerStep { get; init; }

    public StepBreakdown? StepBreakdownUs { get; init; }

    public static TrainSummaryJson From(TrainingSummary summary, string runDirectory, ClusterSummary? cluster = null) => new()
    {
        Workers = cluster?.Workers,
        FullSteps = cluster?.Closed.FullSteps,
        ShortHandedSteps = cluster?.ShortHandedSteps,
        AppliedGradients = cluster?.Closed.AppliedGradients,
        MissingGradients = cluster?.Closed.MissingGradients,
        LeftOutGradients = cluster?.Closed.LeftOutGradients,
        WireBytesPerStep = cluster?.TrafficPerStep is { } traffic ? new WireBytesJson(traffic.Down, traffic.Up) : null,
        MeanGradientStaleness = cluster is { Closed.AppliedGradients: > 0 } c ? (double)c.Closed.StepsBehind / c.Closed.AppliedGradients : null,
        RejectedGradients = cluster?.RejectedTotal,
        RejectedByReason = cluster is null ? null : cluster.RejectedGradients,
        Failure = cluster?.Failure,
        AllocatedBytesPerStep = cluster is null ? null : Math.Round(cluster.AllocatedBytesPerStep),
        StepBreakdownUs = cluster?.Breakdown,
        Completed = summary.Completed,
        RunDir = runDirectory,
        Model = summary.Model,
        Epochs = summary.Epochs,
        Steps = summary.Steps,
        TrainSamplesPerSec = Math.Round(summary.TrainSamplesPerSecond, 1),
        WallSeconds = Math.Round(summary.WallSeconds, 3),
        ModelPath = summary.ModelPath,
        CheckpointPath = summary.CheckpointPath,
        TestAccuracy = summary.Test?.Classification?.Accuracy,
        TestLoss = summary.Test?.Loss,
        TestMse = summary.Test?.Regression?.Mse,
        TestMae = summary.Test?.Regression?.Mae,
        TestR2 = summary.Test?.Regression?.R2,
        TestBaselineMse = summary.Test?.Regression?.BaselineMse,
        TargetAccuracy = summary.TargetAccuracy,
        TimeToTargetSeconds = summary.SecondsToTarget is { } s ? Math.Round(s, 3) : null,
        EpochToTarget = summary.EpochToTarget,
        StoppedEarly = summary.StoppedEarly,
        TrainSamples = summary.Samples.Train,
        ValidationSamples = summary.Samples.Validation,
        TestSamples = summary.Samples.Test,
    };
}

/// <summary>Tensor payload bytes a step moved on average, weights down and gradients up, in their wire encoding.</summary>
/// <param name="Down">Weights, server to workers.</param>
/// <param name="Up">Gradients, workers to server.</param>
internal sealed record WireBytesJson(long Down, long Up);
