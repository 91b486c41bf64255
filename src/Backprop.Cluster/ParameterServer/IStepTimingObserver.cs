namespace Backprop.Cluster.ParameterServer;

/// <summary>
/// Implemented by a training observer that also wants each cluster step's timings (a metrics file).
/// The coordinator calls it just before <see cref="Nn.Training.ITrainingObserver.StepCompleted"/>
/// of the same step, on the same thread; local training never calls it.
/// </summary>
public interface IStepTimingObserver
{
    /// <summary>After every applied step.</summary>
    /// <param name="stepsDone">Global steps done after the step.</param>
    /// <param name="timing">Where the step's time went, as the parameter server saw it.</param>
    /// <param name="workers">Workers the step was opened for.</param>
    /// <param name="computeMicrosByRank">Each rank's gradient computation in microseconds (0: none arrived); null if unknown. Owned by the receiver.</param>
    void StepTimed(long stepsDone, in StepTiming timing, int workers, IReadOnlyList<long>? computeMicrosByRank);
}
