using Prometheus;

namespace Backprop.Cli.Metrics;

/// <summary>
/// Every series a run publishes, created together in its registry before the endpoint listens, so
/// that no scrape ever sees a registry with only some of them.
/// </summary>
internal sealed class RunMetricCollectors
{
    private static readonly string[] WorkerLabels = ["rank", "worker"];

    /// <summary>Creates the run's series in <paramref name="registry"/>.</summary>
    /// <param name="registry">The run's own registry.</param>
    public RunMetricCollectors(CollectorRegistry registry)
    {
        var f = Prometheus.Metrics.WithCustomRegistry(registry);
        Step = f.CreateGauge("backprop_step", "Global training steps done.");
        Epoch = f.CreateGauge("backprop_epoch", "The epoch in progress (1-based).");
        Loss = f.CreateGauge("backprop_train_loss", "Mean training loss of the epoch so far.");
        Accuracy = f.CreateGauge("backprop_train_accuracy", "Training accuracy of the epoch so far (classification only).");
        LearningRate = f.CreateGauge("backprop_learning_rate", "The learning rate of the last step.");
        SamplesPerSecond = f.CreateGauge("backprop_samples_per_second", "Training throughput of the epoch so far.");
        ValidationLoss = f.CreateGauge("backprop_validation_loss", "Validation loss at the last epoch end.");
        ValidationAccuracy = f.CreateGauge("backprop_validation_accuracy", "Validation accuracy at the last epoch end.");
        StepSeconds = f.CreateHistogram("backprop_step_seconds", "Wall time between consecutive steps (an epoch's first step is not timed: the evaluation pause precedes it).", new HistogramConfiguration
        {
            Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14),
        });
        Workers = f.CreateGauge("backprop_workers", "Workers in the steps (cluster runs).");
        ShortHanded = f.CreateCounter("backprop_short_handed_steps_total", "Steps that closed without every worker they were opened for.");
        Rejected = f.CreateCounter("backprop_rejected_gradients_total", "Rejected gradient slices by reason.", ["reason"]);
        WorkerSteps = f.CreateGauge("backprop_worker_steps", "Steps the worker's whole gradient arrived for.", WorkerLabels);
        WorkerSamplesPerSecond = f.CreateGauge("backprop_worker_samples_per_second", "Rows the worker contributed per second, over the last few hundred milliseconds.", WorkerLabels);
        WorkerArrival = f.CreateGauge("backprop_worker_gradient_arrival_seconds", "When the worker's last gradient arrived, after its step's weights were broadcast.", WorkerLabels);
        WorkerCompute = f.CreateGauge("backprop_worker_compute_seconds", "The worker's own computation of its last gradient.", WorkerLabels);
        WorkerRejected = f.CreateGauge("backprop_worker_rejected_gradients", "Rejected gradient slices of the worker.", WorkerLabels);
    }

    /// <summary><c>backprop_step</c>.</summary>
    public Gauge Step { get; }

    /// <summary><c>backprop_epoch</c>.</summary>
    public Gauge Epoch { get; }

    /// <summary><c>backprop_train_loss</c>.</summary>
    public Gauge Loss { get; }

    /// <summary><c>backprop_train_accuracy</c>.</summary>
    public Gauge Accuracy { get; }

    /// <summary><c>backprop_learning_rate</c>.</summary>
    public Gauge LearningRate { get; }

    /// <summary><c>backprop_samples_per_second</c>.</summary>
    public Gauge SamplesPerSecond { get; }

    /// <summary><c>backprop_validation_loss</c>.</summary>
    public Gauge ValidationLoss { get; }

    /// <summary><c>backprop_validation_accuracy</c>.</summary>
    public Gauge ValidationAccuracy { get; }

    /// <summary><c>backprop_step_seconds</c>.</summary>
    public Histogram StepSeconds { get; }

    /// <summary><c>backprop_workers</c>.</summary>
    public Gauge Workers { get; }

    /// <summary><c>backprop_short_handed_steps_total</c>.</summary>
    public Counter ShortHanded { get; }

    /// <summary><c>backprop_rejected_gradients_total</c>.</summary>
    public Counter Rejected { get; }

    /// <summary><c>backprop_worker_steps</c>.</summary>
    public Gauge WorkerSteps { get; }

    /// <summary><c>backprop_worker_samples_per_second</c>.</summary>
    public Gauge WorkerSamplesPerSecond { get; }

    /// <summary><c>backprop_worker_gradient_arrival_seconds</c>.</summary>
    public Gauge WorkerArrival { get; }

    /// <summary><c>backprop_worker_compute_seconds</c>.</summary>
    public Gauge WorkerCompute { get; }

    /// <summary><c>backprop_worker_rejected_gradients</c>.</summary>
    public Gauge WorkerRejected { get; }
}
