namespace Backprop.Nn.Training;

/// <summary>Told about a run's progress; a display or a log. Called on the training thread: return quickly.</summary>
public interface ITrainingObserver
{
    /// <summary>After every step.</summary>
    /// <param name="progress">Where the run is.</param>
    void StepCompleted(in TrainingProgress progress);

    /// <summary>After every epoch, its evaluation and its checkpoint.</summary>
    /// <param name="report">What the epoch achieved.</param>
    void EpochCompleted(EpochReport report);
}
