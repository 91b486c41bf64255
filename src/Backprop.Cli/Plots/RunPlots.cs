using Backprop.Cli.Metrics;
using Backprop.Cli.Rendering;
using Backprop.Cli.Runs;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>
/// Draws every chart a run has data for into its folder as PNG files. A chart that cannot be drawn
/// (no native Skia library, no fonts, a full disk) is reported through <c>warn</c> and skipped: the
/// plots are a view of a run, and never the reason a finished run fails.
/// </summary>
internal static class RunPlots
{
    /// <summary>Writes the charts.</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="lines">The run's metrics.</param>
    /// <param name="evaluation">The final test evaluation, or null.</param>
    /// <param name="warn">Told about each chart that failed.</param>
    /// <returns>The charts written: file name (in the folder) and title, in reading order.</returns>
    public static IReadOnlyList<(string File, string Title)> Write(
        string runDirectory, IReadOnlyList<MetricsLine> lines, EvaluationJson? evaluation, Action<string> warn)
    {
        var charts = new List<(string, string, Func<Plot?>)>
        {
            (RunArtifacts.LossPlot, "Loss", () => CurveCharts.Loss(lines)),
            (RunArtifacts.AccuracyPlot, "Accuracy", () => CurveCharts.Accuracy(lines)),
            (RunArtifacts.ThroughputPlot, "Throughput", () => CurveCharts.Throughput(lines)),
            (RunArtifacts.WorkerTimePlot, "Step time per worker", () => CurveCharts.WorkerStepTime(lines)),
            (RunArtifacts.ConfusionPlot, "Confusion matrix", () => evaluation?.ConfusionMatrix is { Length: > 0 } m
                ? ConfusionChart.Draw(m, [.. evaluation.PerClass?.Select(c => c.Class) ?? []])
                : null),
        };

        var written = new List<(string, string)>();
        foreach (var (file, title, draw) in charts)
        {
            string path = Path.Combine(runDirectory, file);
            try
            {
                var plot = draw();
                if (plot is null)
                {
                    // Nothing to draw now: a chart left from an earlier regeneration would mislead.
                    File.Delete(path);
                    continue;
                }

                bool square = file == RunArtifacts.ConfusionPlot;
                plot.SavePng(path, square ? 700 : ChartStyle.Width, square ? 620 : ChartStyle.Height);
                written.Add((file, title));
            }
            catch (Exception e)
            {
                // Any failure, the native library's included (TypeInitializationException,
                // DllNotFoundException): a plot must not fail the run that it shows.
                warn($"warning: the {title.ToLowerInvariant()} plot was not drawn ({path}): {e.GetBaseException().Message}");
            }
        }

        return written;
    }
}
