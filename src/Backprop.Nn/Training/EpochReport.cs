namespace Backprop.Nn.Training;

/// <summary>What one epoch achieved. Losses are means per sample; accuracies are null for regression or a missing set.</summary>
public sealed record EpochReport
{
    /// <summary>1-based epoch.</summary>
    public int Epoch { get; init; }

    /// <summary>Global steps done at the end of the epoch.</summary>
    public long Steps { get; init; }

    /// <summary>The learning rate of the epoch's last step.</summary>
    public double LearningRate { get; init; }

    /// <summary>Mean training loss over the epoch (with dropout, while the weights moved).</summary>
    public double TrainLoss { get; init; }

    /// <summary>Training accuracy over the epoch.</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>Loss on the validation split after the epoch.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Accuracy on the validation split after the epoch.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>Loss on the test set after the epoch.</summary>
    public double? TestLoss { get; init; }

    /// <summary>Accuracy on the test set after the epoch.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>
    /// Seconds spent training in this epoch: the steps only, without laying out the epoch's shuffled
    /// order, evaluation or checkpoints (as PyTorch's reference script times it); 0 for an epoch
    /// restored from a checkpoint.
    /// </summary>
    public double TrainSeconds { get; init; }

    /// <summary>Samples of the epoch trained in this process (fewer than the epoch's if it was resumed midway).</summary>
    public long TrainSamples { get; init; }

    /// <summary>Training samples per second in this epoch.</summary>
    public double SamplesPerSecond => TrainSeconds > 0 ? TrainSamples / TrainSeconds : 0;
}
