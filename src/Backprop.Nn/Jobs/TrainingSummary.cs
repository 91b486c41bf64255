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

    /// <summary>Samples in the training, validation and test sets.</summary>
    public required (int Train, int Validation, int Test) Samples { get; init; }
}
