using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Nn.Training;

namespace Backprop.Cli.Metrics;

/// <summary>
/// Writes <c>metrics.jsonl</c> while a run trains, and passes every call on to the progress display.
/// A line is written every <c>every</c> steps and at every epoch end; between them a step costs a
/// modulo and a comparison, so the allocation-free training step stays allocation-free. The first
/// call tells which step the run starts after: lines past it (from a run resumed from an earlier
/// checkpoint) are dropped then. A metrics file that cannot be written is reported once and given
/// up: it must never stop a run that can still train and checkpoint. Worker tables go straight on
/// to the display.
/// </summary>
internal sealed class MetricsRecorder : ITrainingObserver, IStepTimingObserver, IWorkerTableObserver, IDisposable
{
    private readonly string _path;
    private readonly int _every;
    private readonly ITrainingObserver _inner;
    private readonly Action<string> _warn;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private StreamWriter? _file;
    private bool _started;
    private bool _failed;
    private double _wallBefore;
    private long _timedStep = -1;
    private StepTiming _timing;
    private int _workers;
    private IReadOnlyList<long>? _computeByRank;

    /// <summary>A recorder writing to <paramref name="path"/>.</summary>
    /// <param name="path">The metrics file.</param>
    /// <param name="every">Steps between step lines (at least 1).</param>
    /// <param name="inner">The progress display, told everything first.</param>
    /// <param name="warn">Where a failure to write is reported.</param>
    public MetricsRecorder(string path, int every, ITrainingObserver inner, Action<string> warn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        _path = path;
        _every = every;
        _inner = inner;
        _warn = warn;
    }

    /// <inheritdoc/>
    public void StepTimed(long stepsDone, in StepTiming timing, int workers, IReadOnlyList<long>? computeMicrosByRank)
    {
        _timedStep = stepsDone;
        _timing = timing;
        _workers = workers;
        _computeByRank = computeMicrosByRank;
    }

    /// <inheritdoc/>
    public void WorkersUpdated(WorkerTable table) => (_inner as IWorkerTableObserver)?.WorkersUpdated(table);

    /// <inheritdoc/>
    public void StepCompleted(in TrainingProgress progress)
    {
        _inner.StepCompleted(in progress);
        if (!_started)
        {
            Start(progress.Step - 1);
        }

        if (progress.Step % _every != 0 || _file is null)
        {
            return;
        }

        bool timed = _timedStep == progress.Step;
        Write(new MetricsLine
        {
            Kind = MetricsLine.StepKind,
            Epoch = progress.Epoch,
            Step = progress.Step,
            Batch = progress.Batch,
            Batches = progress.Batches,
            TrainLoss = progress.Loss,
            TrainAccuracy = progress.Accuracy,
            Lr = progress.LearningRate,
            SamplesPerSec = Math.Round(progress.SamplesPerSecond, 1),
            WallS = Wall(),
            Time = Now(),
            Workers = timed ? _workers : null,
            StepUs = timed ? new StepTimingLine(Round(_timing.Broadcast), Round(_timing.Round), Round(_timing.Compute), Round(_timing.Transfer), Round(_timing.Apply)) : null,
            WorkerComputeUs = timed ? _computeByRank : null,
        });
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochReport report)
    {
        _inner.EpochCompleted(report);
        if (!_started)
        {
            Start(report.Steps);
        }

        if (_file is null)
        {
            return;
        }

        Write(new MetricsLine
        {
            Kind = MetricsLine.EpochKind,
            Epoch = report.Epoch,
            Step = report.Steps,
            TrainLoss = report.TrainLoss,
            TrainAccuracy = report.TrainAccuracy,
            ValidationLoss = report.ValidationLoss,
            ValidationAccuracy = report.ValidationAccuracy,
            TestLoss = report.TestLoss,
            TestAccuracy = report.TestAccuracy,
            Lr = report.LearningRate,
            SamplesPerSec = Math.Round(report.SamplesPerSecond, 1),
            EpochTrainS = Math.Round(report.TrainSeconds, 3),
            WallS = Wall(),
            Time = Now(),
        });
    }

    /// <inheritdoc/>
    public void Dispose() => _file?.Dispose();

    private static double Round(double micros) => Math.Round(micros, 1);

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private double Wall() => Math.Round(_wallBefore + _clock.Elapsed.TotalSeconds, 3);

    /// <summary>Cuts the file back to <paramref name="after"/> and opens it for appending.</summary>
    private void Start(long after)
    {
        _started = true;
        try
        {
            _wallBefore = MetricsFile.KeepUpTo(_path, after);
            _file = new StreamWriter(new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
        }
    }

    private void Write(MetricsLine line)
    {
        try
        {
            _file!.WriteLine(JsonSerializer.Serialize(line, CliJsonContext.Default.MetricsLine));

            // Flushed per line so that a killed run leaves every line it logged but the last at worst.
            _file.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        if (!_failed)
        {
            _failed = true;
            _warn($"warning: metrics are no longer written to {_path}: {e.Message}");
        }

        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
            // The buffered rest cannot be written either; the file is given up.
        }

        _file = null;
    }
}
