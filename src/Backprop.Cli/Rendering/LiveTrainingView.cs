using System.Collections.Immutable;
using System.Diagnostics;
using Backprop.Cluster.Coordinator;
using Backprop.Nn.Training;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Rendering;

/// <summary>
/// The live terminal view's state. The training thread (or the coordinator actor) only hands it
/// immutable readings — a progress reading at most ten times a second, a worker table when the
/// coordinator sends one, epoch and log lines — each swapped in whole; the render loop on the
/// command's thread draws whatever is newest (<see cref="Render"/>). Between readings a step costs
/// a clock read, so the allocation-free training step stays allocation-free.
/// </summary>
internal sealed class LiveTrainingView(RunLog log, int epochs) : ITrainingObserver, IWorkerTableObserver
{
    /// <summary>Log lines kept under the view.</summary>
    private const int MessagesKept = 6;

    private static readonly long ReadingEvery = Stopwatch.Frequency / 10;

    // Touched only by the thread that reports steps.
    private long _firstStep = -1;
    private long _firstAt;
    private long _lastReadingAt;

    // Handed over between threads: each holds an immutable object, replaced whole.
    private ProgressReading? _reading;
    private WorkerTable? _workers;
    private ImmutableList<string> _epochLines = [];
    private ImmutableList<string> _messages = [];
    private volatile bool _showing;

    /// <summary>Whether log lines go into the view (while it is on screen) rather than to the terminal.</summary>
    public bool Showing
    {
        get => _showing;
        set => _showing = value;
    }

    /// <inheritdoc/>
    public void StepCompleted(in TrainingProgress progress)
    {
        long now = Stopwatch.GetTimestamp();
        if (_firstStep < 0)
        {
            _firstStep = progress.Step - 1;
            _firstAt = now;
        }

        if (now - _lastReadingAt >= ReadingEvery || progress.Batch == progress.Batches)
        {
            Volatile.Write(ref _reading, new ProgressReading(progress, now, _firstStep, _firstAt));
            _lastReadingAt = now;
        }
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochReport report)
    {
        string line = EpochLine.Format(report, epochs);
        log.Write(line);
        ImmutableInterlocked.Update(ref _epochLines, lines => lines.Add(line));
    }

    /// <inheritdoc/>
    public void WorkersUpdated(WorkerTable table) => Volatile.Write(ref _workers, table);

    /// <summary>Shows a log line under the view while it is on screen.</summary>
    /// <param name="line">The line.</param>
    /// <returns>False when the view is not showing: the caller prints the line itself.</returns>
    public bool Post(string line)
    {
        if (!_showing)
        {
            return false;
        }

        ImmutableInterlocked.Update(ref _messages, (lines, add) => (lines.Count >= MessagesKept ? lines.RemoveAt(0) : lines).Add(add), line);
        return true;
    }

    /// <summary>The view now, from the newest readings.</summary>
    public IRenderable Render() => TrainingPanel.Render(Volatile.Read(ref _reading), Volatile.Read(ref _epochLines), Volatile.Read(ref _workers), Volatile.Read(ref _messages));
}
