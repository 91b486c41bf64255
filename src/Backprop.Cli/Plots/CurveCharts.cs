using Backprop.Cli.Metrics;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>The curves of a run drawn from its metrics lines; each returns null when the run has nothing to draw.</summary>
internal static class CurveCharts
{
    /// <summary>Training and validation (and test) loss per epoch.</summary>
    /// <param name="lines">The run's metrics.</param>
    public static Plot? Loss(IReadOnlyList<MetricsLine> lines) =>
        PerEpoch(lines, "Loss per epoch", "loss (mean per sample)", l => l.TrainLoss, l => l.ValidationLoss, l => l.TestLoss);

    /// <summary>Training and validation (and test) accuracy per epoch; null for regression.</summary>
    /// <param name="lines">The run's metrics.</param>
    public static Plot? Accuracy(IReadOnlyList<MetricsLine> lines) =>
        lines.Any(l => l.Kind == MetricsLine.EpochKind && l.TrainAccuracy is not null)
            ? PerEpoch(lines, "Accuracy per epoch", "accuracy", l => l.TrainAccuracy, l => l.ValidationAccuracy, l => l.TestAccuracy)
            : null;

    /// <summary>Training samples per second over the run's wall time: the logged steps, and each epoch's mean.</summary>
    /// <param name="lines">The run's metrics.</param>
    public static Plot? Throughput(IReadOnlyList<MetricsLine> lines)
    {
        var steps = lines.Where(l => l.Kind == MetricsLine.StepKind && l.SamplesPerSec > 0).ToList();
        var epochs = Epochs(lines).Where(l => l.SamplesPerSec > 0).ToList();
        if (steps.Count == 0 && epochs.Count == 0)
        {
            return null;
        }

        var plot = ChartStyle.Create("Training throughput", "wall time (s)", "samples/s");
        if (steps.Count > 0)
        {
            ChartStyle.Line(plot, [.. steps.Select(l => l.WallS)], [.. steps.Select(l => l.SamplesPerSec)], "logged steps (epoch so far)");
        }

        if (epochs.Count > 0)
        {
            ChartStyle.Line(plot, [.. epochs.Select(l => l.WallS)], [.. epochs.Select(l => l.SamplesPerSec)], "epoch mean", dashed: true);
        }

        plot.Axes.SetLimitsY(0, Math.Max(steps.Select(l => l.SamplesPerSec).DefaultIfEmpty().Max(), epochs.Select(l => l.SamplesPerSec).DefaultIfEmpty().Max()) * 1.1);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Each worker's compute time per logged step and the whole step's round; null unless a cluster run.</summary>
    /// <param name="lines">The run's metrics.</param>
    public static Plot? WorkerStepTime(IReadOnlyList<MetricsLine> lines)
    {
        var timed = lines.Where(l => l.Kind == MetricsLine.StepKind && l.StepUs is not null).ToList();
        if (timed.Count == 0)
        {
            return null;
        }

        var plot = ChartStyle.Create("Step time per worker", "step", "milliseconds");
        int ranks = timed.Max(l => l.WorkerComputeUs?.Count ?? 0);
        for (int rank = 0; rank < ranks; rank++)
        {
            // A rank that did not contribute to a step (left, timed out) has no point there.
            var points = timed.Where(l => l.WorkerComputeUs is { } c && rank < c.Count && c[rank] > 0).ToList();
            if (points.Count > 0)
            {
                int r = rank;
                ChartStyle.Line(plot, [.. points.Select(l => (double)l.Step)], [.. points.Select(l => l.WorkerComputeUs![r] / 1000.0)], $"worker rank {r}: compute");
            }
        }

        ChartStyle.Line(plot, [.. timed.Select(l => (double)l.Step)], [.. timed.Select(l => l.StepUs!.Round / 1000.0)], "step round (transfer + slowest compute)", dashed: true);
        plot.Axes.SetLimitsY(0, timed.Max(l => Math.Max(l.StepUs!.Round, l.WorkerComputeUs?.DefaultIfEmpty().Max() ?? 0)) / 1000.0 * 1.15);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static IEnumerable<MetricsLine> Epochs(IReadOnlyList<MetricsLine> lines) =>
        lines.Where(l => l.Kind == MetricsLine.EpochKind).OrderBy(l => l.Epoch);

    private static Plot? PerEpoch(
        IReadOnlyList<MetricsLine> lines, string title, string y, Func<MetricsLine, double?> train, Func<MetricsLine, double?> validation, Func<MetricsLine, double?> test)
    {
        var epochs = Epochs(lines).ToList();
        if (epochs.Count == 0)
        {
            return null;
        }

        var plot = ChartStyle.Create(title, "epoch", y);

        // Epochs are whole: no 1.05 ticks between them.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        Series(plot, epochs, train, "train", dashed: false);
        Series(plot, epochs, validation, "validation", dashed: false);
        Series(plot, epochs, test, "test", dashed: true);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static void Series(Plot plot, List<MetricsLine> epochs, Func<MetricsLine, double?> value, string legend, bool dashed)
    {
        var points = epochs.Where(l => value(l) is { } v && double.IsFinite(v)).ToList();
        if (points.Count > 0)
        {
            ChartStyle.Line(plot, [.. points.Select(l => (double)l.Epoch)], [.. points.Select(l => value(l)!.Value)], legend, dashed);
        }
    }
}
