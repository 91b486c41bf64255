using System.Diagnostics;
using System.Globalization;
using Backprop.Nn.Training;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>
/// A Spectre.Console progress bar per epoch with the running loss, accuracy and samples/s. The text
/// is refreshed at most ten times a second, so the training loop pays nothing for it between.
/// </summary>
internal sealed class LiveTrainingView(ProgressContext context, RunLog log, int epochs) : ITrainingObserver
{
    private readonly Stopwatch _sinceRefresh = Stopwatch.StartNew();
    private ProgressTask? _task;
    private int _taskEpoch;

    public void StepCompleted(in TrainingProgress progress)
    {
        if (_task is null || _taskEpoch != progress.Epoch)
        {
            _task?.StopTask();
            _task = context.AddTask(Markup.Escape($"epoch {progress.Epoch}/{epochs}"), maxValue: progress.Batches);
            _taskEpoch = progress.Epoch;
        }

        _task.Value = progress.Batch;
        if (_sinceRefresh.ElapsedMilliseconds >= 100 || progress.Batch == progress.Batches)
        {
            string accuracy = progress.Accuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $" acc {a:P1}") : string.Empty;
            _task.Description = Markup.Escape(string.Create(
                CultureInfo.InvariantCulture,
                $"epoch {progress.Epoch}/{epochs} loss {progress.Loss:F4}{accuracy} {progress.SamplesPerSecond:N0}/s"));
            _sinceRefresh.Restart();
        }
    }

    public void EpochCompleted(EpochReport report)
    {
        string line = EpochLine.Format(report, epochs);
        log.Write(line);
        if (_task is not null && _taskEpoch == report.Epoch)
        {
            _task.Description = Markup.Escape(line);
            _task.StopTask();
        }
        else
        {
            context.AddTask(Markup.Escape(line), maxValue: 1).Increment(1);
        }
    }
}
