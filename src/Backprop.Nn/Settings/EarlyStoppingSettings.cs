using Backprop.Nn.Training;

namespace Backprop.Nn.Settings;

/// <summary>Early stopping (<c>backprop.training.early-stopping</c>): off while patience is 0.</summary>
public sealed record EarlyStoppingSettings
{
    /// <summary><c>metric</c>: val-loss or val-accuracy.</summary>
    public EarlyStoppingMetric Metric { get; init; } = EarlyStoppingMetric.ValidationLoss;

    /// <summary><c>patience</c>: epochs without an improvement of at least <see cref="MinDelta"/> before training stops; 0 turns it off.</summary>
    public int Patience { get; init; }

    /// <summary><c>min-delta</c>: the smallest change that counts as an improvement.</summary>
    public double MinDelta { get; init; }

    /// <summary><c>restore-best</c>: end with the weights of the best epoch rather than the last.</summary>
    public bool RestoreBest { get; init; } = true;

    /// <summary>Whether early stopping is on.</summary>
    public bool Enabled => Patience > 0;

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    public void Validate()
    {
        SettingChecks.AtLeast("backprop.training.early-stopping.patience", Patience, 0);
        SettingChecks.NonNegative("backprop.training.early-stopping.min-delta", MinDelta);
    }
}
