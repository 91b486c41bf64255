using Backprop.Nn.Training;

namespace Backprop.Cli.Rendering;

/// <summary>
/// One reading of the run's progress, handed from the training thread to the live view's render
/// loop: immutable, so the loop can draw it while the next one is taken.
/// </summary>
/// <param name="Progress">Where the run was.</param>
/// <param name="At">When (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</param>
/// <param name="FirstStep">The global step of the first reading of this process (a resumed run starts past 0).</param>
/// <param name="FirstAt">When the first reading was taken.</param>
internal sealed record ProgressReading(TrainingProgress Progress, long At, long FirstStep, long FirstAt)
{
    /// <summary>Steps of the whole run, all epochs.</summary>
    public long TotalSteps => (long)Progress.Epochs * Progress.Batches;

    /// <summary>
    /// The time left at the pace since the first reading (evaluation pauses included once an epoch
    /// has ended); null until a step has been timed.
    /// </summary>
    public TimeSpan? Eta
    {
        get
        {
            long done = Progress.Step - FirstStep;
            double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(FirstAt, At).TotalSeconds;
            if (done <= 0 || seconds <= 0)
            {
                return null;
            }

            long left = Math.Max(0, TotalSteps - Progress.Step);
            return TimeSpan.FromSeconds(left * seconds / done);
        }
    }
}
