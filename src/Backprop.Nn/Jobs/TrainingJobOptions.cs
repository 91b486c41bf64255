using Backprop.Nn.Settings;

namespace Backprop.Nn.Jobs;

/// <summary>What a local training run is asked to do.</summary>
public sealed record TrainingJobOptions
{
    /// <summary>The validated settings.</summary>
    public required BackpropSettings Settings { get; init; }

    /// <summary>The resolved configuration text, stored in every checkpoint and model.</summary>
    public required string ConfigText { get; init; }

    /// <summary>The run folder: checkpoint, model and metrics go there.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Continue from the run folder's checkpoint if there is one (from the start if not).</summary>
    public bool Resume { get; init; }

    /// <summary>The test accuracy whose first reaching is timed for the summary.</summary>
    public double TargetAccuracy { get; init; } = 0.88;
}
