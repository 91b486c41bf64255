using Backprop.Cluster.ParameterServer;

namespace Backprop.Cluster.Coordinator;

/// <summary>
/// How the steps one coordinator process closed went, for the summary's accounting: every step is
/// either full or short-handed, and every gradient a step was opened for was either applied or is
/// missing. Kept apart from the job's step counter (which also counts steps resumed from a
/// checkpoint), so that <c>full + short-handed = steps</c> checks that no step was lost or counted twice.
/// </summary>
/// <param name="FullSteps">Steps every worker they were opened for contributed to.</param>
/// <param name="ShortHandedSteps">Steps that closed without every worker they were opened for.</param>
/// <param name="AppliedGradients">Workers' gradients summed into a step.</param>
/// <param name="MissingGradients">
/// Gradients a step was opened for but closed without: the worker left or hung, the step timed out,
/// or its gradient was voided (NaN or infinite values). Rejected slices are counted by reason apart
/// from this: a voided gradient is in both, a late one from a worker already dropped only there.
/// </param>
/// <param name="LeftOutGradients">Gradients a step closed without by design: with backup workers, the slowest k of every step.</param>
/// <param name="StepsBehind">Over the applied gradients, how many versions older than their step their weights were, summed (staleness).</param>
public readonly record struct StepAccount(long FullSteps, long ShortHandedSteps, long AppliedGradients, long MissingGradients, long LeftOutGradients = 0, long StepsBehind = 0)
{
    /// <summary>Steps closed in all.</summary>
    public long Steps => FullSteps + ShortHandedSteps;

    /// <summary>The account with one more closed step.</summary>
    /// <param name="totals">What the step summed and who was missing.</param>
    /// <returns>The new account.</returns>
    public StepAccount Add(StepTotals totals) => new(
        FullSteps + (totals.ShortHanded ? 0 : 1),
        ShortHandedSteps + (totals.ShortHanded ? 1 : 0),
        AppliedGradients + totals.Contributors,
        MissingGradients + totals.Missing,
        LeftOutGradients + totals.LeftOut,
        StepsBehind + totals.StepsBehind);
}
