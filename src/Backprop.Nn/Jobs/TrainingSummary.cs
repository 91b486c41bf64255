using Backprop.Nn.Evaluation;
using Backprop.Nn.Training;

namespace Backprop.Nn.Jobs;

/// <summary>What a finished (or interrupted) run reports.</summary>
public sealed record TrainingSummary
{
    /// <summary>False when the run was interrupted; the checkpoint lets it resume.</summary>
    public required bool Completed { get; init; }

    /// <summary>The architecture, e.g. "784-256-128-10 relu SoftmaxCrossEntropy".</summary>
    public required string Model { get; init; }

    /// <summary>Epochs completed.</summary>
    public required int Epochs { get; init; }

    /// <summary>Optimiser steps taken.</summary>
    public required long Steps { get; init; }

    /// <summary>Training samples per second: the median over epochs 2..N (all epochs if only one), evaluation and checkpoints excluded.</summary>
    public required double TrainSamplesPerSecond { get; init; }

    /// <summary>Wall-clock seconds of the whole run in this process.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Training seconds (no evaluation or checkpoints) until the test accuracy first reached the target; null if it did not.</summary>
    public double? SecondsToTarget { get; init; }

    /// <summary>The epoch at which the target was first reached.</summary>
    public int? EpochToTarget { get; init; }

    /// <summary>The target accuracy timed.</summary>
    public double TargetAccuracy { get; init; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>The final model file; null if the run was interrupted.</summary>
    public string? ModelPath { get; init; }

    /// <summary>The latest checkpoint.</summary>
    public required string CheckpointPath { get; init; }

    /// <summary>The final evaluation on the test set; null without one or if interrupted.</summary>
    public EvaluationReport? Test { get; init; }

    /// <summary>Per-epoch reports.</summary>
    public required IReadOnlyList<EpochReport> History { get; init; }

    /// <summary>The class names, indexed by label; empty for regression.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Samples in the training, validation and test sets.</summary>
    public required (int Train, int Validation, int Test) Samples { get; init; }

    /// <summary>The summary of a run of <paramref name="setup"/> that reached <paramref name="state"/>.</summary>
    /// <param name="setup">The run.</param>
    /// <param name="state">Where it ended.</param>
    /// <param name="completed">Whether it finished (else it was interrupted).</param>
    /// <param name="test">The final test evaluation, if any.</param>
    /// <param name="wallSeconds">Wall-clock seconds of the run in this process.</param>
    public static TrainingSummary From(TrainingSetup setup, TrainingState state, bool completed, EvaluationReport? test, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(state);
        var history = state.History;
        double target = setup.Options.TargetAccuracy;
        var reached = history.FirstOrDefault(e => e.TestAccuracy >= target);
        var upToTarget = reached is null ? [] : history.Take(reached.Epoch).ToList();
        return new TrainingSummary
        {
            Completed = completed,
            Model = setup.Spec.ToString(),
            Epochs = history.Count,
            Steps = state.Step,
            TrainSamplesPerSecond = SteadyThroughput(history),
            WallSeconds = wallSeconds,
            SecondsToTarget = reached is null || upToTarget.Any(e => e.TrainSeconds == 0) ? null : upToTarget.Sum(e => e.TrainSeconds),
            EpochToTarget = reached?.Epoch,
            TargetAccuracy = target,
            StoppedEarly = state.StoppedEarly,
            ModelPath = completed ? setup.ModelPath : null,
            CheckpointPath = setup.CheckpointPath,
            Test = test,
            History = history,
            ClassNames = setup.Data.Train.ClassNames,
            Samples = (setup.Data.Train.Count, setup.Data.Validation?.Count ?? 0, setup.Data.Test?.Count ?? 0),
        };
    }

    /// <summary>Median samples/s over epochs 2..N trained in this process (all epochs if only the first was).</summary>
    private static double SteadyThroughput(IReadOnlyList<EpochReport> history)
    {
        var rates = history.Where(e => e.TrainSeconds > 0).Select(e => (e.Epoch, Rate: e.SamplesPerSecond)).ToList();
        var steady = rates.Where(r => r.Epoch >= 2).Select(r => r.Rate).Order().ToList();
        if (steady.Count == 0)
        {
            steady = [.. rates.Select(r => r.Rate).Order()];
        }

        return steady.Count == 0 ? 0 : steady.Count % 2 == 1 ? steady[steady.Count / 2] : (steady[(steady.Count / 2) - 1] + steady[steady.Count / 2]) / 2;
    }
}
