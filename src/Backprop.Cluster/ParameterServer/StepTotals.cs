namespace Backprop.Cluster.ParameterServer;

/// <summary>What a closed step summed: the samples and loss of the gradients that arrived, and who was missing.</summary>
/// <param name="Samples">Rows the summed gradient covers.</param>
/// <param name="LossSum">Their summed loss.</param>
/// <param name="Correct">Their correct predictions.</param>
/// <param name="Contributors">Workers whose whole gradient arrived valid.</param>
/// <param name="Missing">Workers of the step that did not contribute (lost, timed out, rejected).</param>
/// <param name="LeftOut">Workers left out by design: with backup workers, the slowest k of the step.</param>
/// <param name="StepsBehind">Over the contributors: how many versions older than the step their weights were, summed (0 in synchronous steps).</param>
public readonly record struct StepTotals(int Samples, double LossSum, int Correct, int Contributors, int Missing, int LeftOut = 0, long StepsBehind = 0)
{
    /// <summary>Whether the step closed without every worker it was opened for.</summary>
    public bool ShortHanded => Missing > 0;
}
