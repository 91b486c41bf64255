using Backprop.Nn.Training;

namespace Backprop.Cli.Rendering;

/// <summary>Progress as plain lines, one per epoch: for pipes, logs and <c>--no-progress</c>.</summary>
internal sealed class PlainTrainingView(TextWriter output, RunLog log, int epochs) : ITrainingObserver
{
    public void StepCompleted(in TrainingProgress progress)
    {
    }

    public void EpochCompleted(EpochReport report)
    {
        string line = EpochLine.Format(report, epochs);
        output.WriteLine(line);
        log.Write(line);
    }
}
