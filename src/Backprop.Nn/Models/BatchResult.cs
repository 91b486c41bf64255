namespace Backprop.Nn.Models;

/// <summary>What one batch's forward pass scored.</summary>
/// <param name="Rows">Samples in the batch.</param>
/// <param name="LossSum">The loss summed over the samples (not averaged).</param>
/// <param name="Correct">Correctly classified samples; 0 for regression.</param>
public readonly record struct BatchResult(int Rows, double LossSum, int Correct);
