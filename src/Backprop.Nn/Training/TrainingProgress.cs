namespace Backprop.Nn.Training;

/// <summary>The state of the run after a step, for progress displays.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches in the epoch.</param>
/// <param name="Step">Global steps done.</param>
/// <param name="Loss">Mean training loss of the epoch so far.</param>
/// <param name="Accuracy">Training accuracy of the epoch so far; null for regression.</param>
/// <param name="SamplesPerSecond">Training throughput of the epoch so far.</param>
/// <param name="LearningRate">The rate of the last step.</param>
public readonly record struct TrainingProgress(
    int Epoch, int Epochs, int Batch, int Batches, long Step, double Loss, double? Accuracy, double SamplesPerSecond, double LearningRate);
