namespace Backprop.Nn.Training;

/// <summary>
/// Where a run is, beyond the parameters and optimiser state: enough to resume on exactly the same
/// trajectory. Only deterministic values: no times, so the same run writes the same checkpoint.
/// </summary>
public sealed record TrainingState
{
    /// <summary>The epoch in progress (0-based).</summary>
    public int Epoch { get; init; }

    /// <summary>The next batch of that epoch (0 at an epoch boundary).</summary>
    public int NextBatch { get; init; }

    /// <summary>Global steps done.</summary>
    public long Step { get; init; }

    /// <summary>Summed training loss of the epoch so far.</summary>
    public double EpochLossSum { get; init; }

    /// <summary>Correctly classified training samples of the epoch so far.</summary>
    public long EpochCorrect { get; init; }

    /// <summary>Training samples of the epoch so far.</summary>
    public long EpochSamples { get; init; }

    /// <summary>The best early-stopping metric so far, or null.</summary>
    public double? BestMetric { get; init; }

    /// <summary>The 1-based epoch of <see cref="BestMetric"/>, 0 if none.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Epochs since the metric last improved.</summary>
    public int EpochsWithoutImprovement { get; init; }

    /// <summary>The parameters at the best epoch, kept when the best are to be restored; else null.</summary>
    public float[]? BestParameters { get; init; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>The reports of the finished epochs.</summary>
    public IReadOnlyList<EpochReport> History { get; init; } = [];
}
