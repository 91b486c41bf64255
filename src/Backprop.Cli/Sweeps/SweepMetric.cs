using Backprop.Nn.Settings;

namespace Backprop.Cli.Sweeps;

/// <summary>A final test metric the best trial is chosen by, and which way is better.</summary>
/// <param name="Name">As <c>--metric</c> takes it, e.g. <c>test-accuracy</c>.</param>
/// <param name="HigherIsBetter">True for accuracy and R², false for the losses and errors.</param>
/// <param name="Read">The trial's value, or null when it has none.</param>
internal sealed record SweepMetric(string Name, bool HigherIsBetter, Func<TrialRecord, double?> Read)
{
    /// <summary>Test accuracy (classification), the default when trials have one.</summary>
    public static readonly SweepMetric TestAccuracy = new("test-accuracy", true, t => t.TestAccuracy);

    /// <summary>Test loss, the default otherwise (regression).</summary>
    public static readonly SweepMetric TestLoss = new("test-loss", false, t => t.TestLoss);

    /// <summary>Every metric <c>--metric</c> accepts.</summary>
    public static IReadOnlyList<SweepMetric> All { get; } =
    [
        TestAccuracy,
        TestLoss,
        new("test-mse", false, t => t.TestMse),
        new("test-mae", false, t => t.TestMae),
        new("test-r2", true, t => t.TestR2),
    ];

    /// <summary>The metric named <paramref name="name"/> (<c>_</c> for <c>-</c> and a missing <c>test-</c> are accepted).</summary>
    /// <exception cref="InvalidSettingException">No metric has that name.</exception>
    public static SweepMetric Parse(string name)
    {
        string normal = name.Trim().ToLowerInvariant().Replace('_', '-');
        if (!normal.StartsWith("test-", StringComparison.Ordinal))
        {
            normal = "test-" + normal;
        }

        return All.FirstOrDefault(m => m.Name == normal)
            ?? throw new InvalidSettingException("--metric", $"'{name}' is not a metric; use one of {string.Join(", ", All.Select(m => m.Name))}.");
    }

    /// <summary>The default for these trials: test accuracy when a finished one has it (classification), else test loss.</summary>
    public static SweepMetric DefaultFor(IEnumerable<TrialRecord> trials) =>
        trials.Any(t => t.Status == TrialStatus.Finished && t.TestAccuracy is not null) ? TestAccuracy : TestLoss;

    /// <summary>
    /// The finished trial with the best finite value, or null when none has one. Ties go to the earlier trial in
    /// grid order, so the choice does not depend on the order trials finished in.
    /// </summary>
    public TrialRecord? Best(IEnumerable<TrialRecord> trials)
    {
        TrialRecord? best = null;
        double bestValue = 0;
        foreach (var trial in trials.Where(t => t.Status == TrialStatus.Finished).OrderBy(t => t.Index))
        {
            if (Read(trial) is not { } value || !double.IsFinite(value))
            {
                continue;
            }

            if (best is null || (HigherIsBetter ? value > bestValue : value < bestValue))
            {
                best = trial;
                bestValue = value;
            }
        }

        return best;
    }
}
