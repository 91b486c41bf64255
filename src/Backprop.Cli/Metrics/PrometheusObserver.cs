using System.Diagnostics;
using System.Globalization;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Nn.Training;

namespace Backprop.Cli.Metrics;

/// <summary>
/// Keeps the run's Prometheus metrics current and passes every call on to <c>inner</c>. A step sets
/// a few unlabelled gauges and observes a histogram (no allocation, so the allocation-free local
/// step stays so); the per-worker and per-reason series change only with a worker table, which the
/// coordinator sends a few times a second.
/// </summary>
internal sealed class PrometheusObserver : ITrainingObserver, IStepTimingObserver, IWorkerTableObserver
{
    private readonly ITrainingObserver _inner;
    private readonly RunMetricCollectors _m;

    // Touched only by the thread that reports steps.
    private long _lastStepAt;

    // Touched only by the coordinator's thread (worker tables).
    private HashSet<(string Rank, string Worker)> _labelled = [];

    /// <summary>Keeps <paramref name="metrics"/> current.</summary>
    /// <param name="metrics">The run's series.</param>
    /// <param name="inner">Told everything first.</param>
    public PrometheusObserver(RunMetricCollectors metrics, ITrainingObserver inner)
    {
        _m = metrics;
        _inner = inner;
    }

    /// <inheritdoc/>
    public void StepCompleted(in TrainingProgress progress)
    {
        _inner.StepCompleted(in progress);
        long now = Stopwatch.GetTimestamp();
        if (_lastStepAt != 0)
        {
            _m.StepSeconds.Observe(Stopwatch.GetElapsedTime(_lastStepAt, now).TotalSeconds);
        }

        _lastStepAt = now;
        _m.Step.Set(progress.Step);
        _m.Epoch.Set(progress.Epoch);
        _m.Loss.Set(progress.Loss);
        if (progress.Accuracy is { } accuracy)
        {
            _m.Accuracy.Set(accuracy);
        }

        _m.LearningRate.Set(progress.LearningRate);
        _m.SamplesPerSecond.Set(progress.SamplesPerSecond);
    }

    /// <inheritdoc/>
    public void EpochCompleted(EpochReport report)
    {
        _inner.EpochCompleted(report);
        _lastStepAt = 0;
        if (report.ValidationLoss is { } loss)
        {
            _m.ValidationLoss.Set(loss);
        }

        if (report.ValidationAccuracy is { } accuracy)
        {
            _m.ValidationAccuracy.Set(accuracy);
        }
    }

    /// <inheritdoc/>
    public void StepTimed(long stepsDone, in StepTiming timing, int workers, IReadOnlyList<long>? computeMicrosByRank)
    {
        (_inner as IStepTimingObserver)?.StepTimed(stepsDone, timing, workers, computeMicrosByRank);
        _m.Workers.Set(workers);
    }

    /// <inheritdoc/>
    public void WorkersUpdated(WorkerTable table)
    {
        (_inner as IWorkerTableObserver)?.WorkersUpdated(table);
        _m.Workers.Set(table.InSteps);
        _m.ShortHanded.IncTo(table.ShortHandedSteps);
        foreach (var (reason, count) in table.Rejections)
        {
            _m.Rejected.WithLabels(reason).IncTo(count);
        }

        var labelled = new HashSet<(string Rank, string Worker)>();
        foreach (var w in table.Workers)
        {
            if (w.Rank is not { } rank)
            {
                continue;
            }

            string[] labels = [rank.ToString(CultureInfo.InvariantCulture), w.WorkerId];
            labelled.Add((labels[0], labels[1]));
            _m.WorkerSteps.WithLabels(labels).Set(w.Steps);
            _m.WorkerSamplesPerSecond.WithLabels(labels).Set(w.SamplesPerSecond);
            _m.WorkerArrival.WithLabels(labels).Set((w.LastArrivalMs ?? 0) / 1000);
            _m.WorkerCompute.WithLabels(labels).Set((w.LastComputeMs ?? 0) / 1000);
            _m.WorkerRejected.WithLabels(labels).Set(w.Rejected);
        }

        // A worker that left the steps (or changed rank) leaves the series: no stale values.
        foreach (var (rank, worker) in _labelled.Except(labelled))
        {
            foreach (var gauge in new[] { _m.WorkerSteps, _m.WorkerSamplesPerSecond, _m.WorkerArrival, _m.WorkerCompute, _m.WorkerRejected })
            {
                gauge.RemoveLabelled(rank, worker);
            }
        }

        _labelled = labelled;
    }
}
