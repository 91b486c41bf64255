namespace Backprop.Cli.Metrics;

/// <summary>
/// One line of <c>metrics.jsonl</c> (snake_case keys, nulls left out): a logged step or a finished epoch.
/// </summary>
internal sealed record MetricsLine
{
    /// <summary>The kind of a step line.</summary>
    public const string StepKind = "step";

    /// <summary>The kind of an epoch line.</summary>
    public const string EpochKind = "epoch";

    /// <summary><see cref="StepKind"/> or <see cref="EpochKind"/>.</summary>
    public string Kind { get; init; } = StepKind;

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; init; }

    /// <summary>Global steps done.</summary>
    public long Step { get; init; }

    /// <summary>Step lines: the 1-based batch within the epoch.</summary>
    public int? Batch { get; init; }

    /// <summary>Step lines: batches per epoch.</summary>
    public int? Batches { get; init; }

    /// <summary>Mean training loss per sample: of the epoch so far (step lines) or of the whole epoch.</summary>
    public double TrainLoss { get; init; }

    /// <summary>Training accuracy, as <see cref="TrainLoss"/>; null for regression.</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>Epoch lines: loss on the validation split.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Epoch lines: accuracy on the validation split.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>Epoch lines: loss on the test set.</summary>
    public double? TestLoss { get; init; }

    /// <summary>Epoch lines: accuracy on the test set.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>The learning rate of the last step.</summary>
    public double Lr { get; init; }

    /// <summary>Training samples per second: of the epoch so far (step lines) or of the epoch.</summary>
    public double SamplesPerSec { get; init; }

    /// <summary>Epoch lines: seconds spent on the epoch's steps.</summary>
    public double? EpochTrainS { get; init; }

    /// <summary>Seconds since the run began, carried over a resume (the resumed process adds its own).</summary>
    public double WallS { get; init; }

    /// <summary>When the line was written, UTC, ISO 8601.</summary>
    public string Time { get; init; } = string.Empty;

    /// <summary>Cluster step lines: workers the step was opened for.</summary>
    public int? Workers { get; init; }

    /// <summary>Cluster step lines: where the step's time went, in microseconds.</summary>
    public StepTimingLine? StepUs { get; init; }

    /// <summary>Cluster step lines: each rank's gradient computation in microseconds (0: none arrived).</summary>
    public IReadOnlyList<long>? WorkerComputeUs { get; init; }
}

/// <summary>A cluster step's phases in microseconds, as the parameter server measured them.</summary>
/// <param name="Broadcast">Serialising and queueing the weights for every worker.</param>
/// <param name="Round">From the broadcast to the last gradient: transfer down, compute, transfer up.</param>
/// <param name="Compute">The slowest worker's computation.</param>
/// <param name="Transfer">The round minus the compute.</param>
/// <param name="Apply">Summing the gradients and the optimiser step.</param>
internal sealed record StepTimingLine(double Broadcast, double Round, double Compute, double Transfer, double Apply);
