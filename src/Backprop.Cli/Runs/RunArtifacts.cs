namespace Backprop.Cli.Runs;

/// <summary>
/// The files the CLI adds to a run folder besides the ones training writes (<see cref="Nn.Jobs.RunFiles"/>):
/// the metrics, the final test evaluation, the plots and the report.
/// </summary>
internal static class RunArtifacts
{
    /// <summary>One JSON object a line: every logged step and every epoch.</summary>
    public const string Metrics = "metrics.jsonl";

    /// <summary>The test-set evaluation at the end of a finished run (as <c>eval --json</c> prints it).</summary>
    public const string Evaluation = "evaluation.json";

    /// <summary>The self-contained HTML report of <c>backprop report</c>.</summary>
    public const string Report = "report.html";

    /// <summary>Training and validation loss per epoch.</summary>
    public const string LossPlot = "loss.png";

    /// <summary>Training and validation accuracy per epoch (classification).</summary>
    public const string AccuracyPlot = "accuracy.png";

    /// <summary>Training samples per second over the run's wall time.</summary>
    public const string ThroughputPlot = "throughput.png";

    /// <summary>Each worker's compute time per step, with the whole step's (cluster runs).</summary>
    public const string WorkerTimePlot = "worker-step-time.png";

    /// <summary>The final test evaluation's confusion matrix (classification).</summary>
    public const string ConfusionPlot = "confusion-matrix.png";
}
