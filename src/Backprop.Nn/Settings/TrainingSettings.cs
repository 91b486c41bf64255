namespace Backprop.Nn.Settings;

/// <summary>The training loop (<c>backprop.training</c>).</summary>
public sealed record TrainingSettings
{
    /// <summary><c>epochs</c>: passes over the training set.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary><c>batch-size</c>: samples per step (the global batch in a cluster).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary><c>seed</c>: every random choice (initialisation, shuffles, splits, dropout) follows from it.</summary>
    public long Seed { get; init; }

    /// <summary><c>validation-split</c>: the fraction of the training set held out for validation and early stopping.</summary>
    public double ValidationSplit { get; init; }

    /// <summary><c>checkpoint-every</c>: steps between checkpoints, besides the one at each epoch's end; 0 for epoch ends only.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary><c>threads</c>: threads of the matrix products; 0 for every core.</summary>
    public int Threads { get; init; }

    /// <summary><c>init-from</c>: a saved model to start from instead of random weights (fine-tuning).</summary>
    public string? InitFrom { get; init; }

    /// <summary><c>freeze-layers</c>: with <see cref="InitFrom"/>, the number of first layers whose weights are not trained.</summary>
    public int FreezeLayers { get; init; }

    /// <summary><c>replace-output</c>: with <see cref="InitFrom"/>, a fresh output layer sized for this data's classes (transfer learning).</summary>
    public bool ReplaceOutput { get; init; }

    /// <summary><c>early-stopping</c>.</summary>
    public EarlyStoppingSettings EarlyStopping { get; init; } = new();

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    public void Validate()
    {
        SettingChecks.AtLeast("backprop.training.epochs", Epochs, 1);
        SettingChecks.AtLeast("backprop.training.batch-size", BatchSize, 1);
        SettingChecks.AtLeast("backprop.training.seed", Seed, 0);
        SettingChecks.Fraction("backprop.training.validation-split", ValidationSplit);
        SettingChecks.AtLeast("backprop.training.checkpoint-every", CheckpointEvery, 0);
        SettingChecks.AtLeast("backprop.training.threads", Threads, 0);
        SettingChecks.AtLeast("backprop.training.freeze-layers", FreezeLayers, 0);
        if ((FreezeLayers > 0 || ReplaceOutput) && string.IsNullOrWhiteSpace(InitFrom))
        {
            throw new InvalidSettingException(
                FreezeLayers > 0 ? "backprop.training.freeze-layers" : "backprop.training.replace-output",
                "freezing layers or replacing the output layer needs a model to start from: set backprop.training.init-from.");
        }

        EarlyStopping.Validate();
        if (EarlyStopping.Enabled && ValidationSplit == 0)
        {
            throw new InvalidSettingException(
                "backprop.training.early-stopping.patience", "early stopping watches the validation split: set backprop.training.validation-split above 0.");
        }
    }
}
