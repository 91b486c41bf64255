namespace Backprop.Cli.Sweeps;

/// <summary>Shows a sweep as its trials start and end.</summary>
internal interface ISweepView
{
    /// <summary>Called after <paramref name="changed"/> started or ended; <paramref name="sweep"/> is the whole sweep as recorded.</summary>
    void Update(SweepRecord sweep, TrialRecord changed);
}
