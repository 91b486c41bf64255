using System.Text.Json;
using Backprop.Cli.Metrics;
using Backprop.Cli.Plots;
using Backprop.Cli.Rendering;
using Backprop.Nn.Jobs;

namespace Backprop.Cli.Runs;

/// <summary>
/// What the CLI adds to a run folder once training has ended, finished or interrupted: the test
/// evaluation (finished runs) and the plots. Nothing here may fail the run: the model, checkpoint
/// and summary are already written, so each failure is a warning.
/// </summary>
internal static class RunEnding
{
    /// <summary>Writes <c>evaluation.json</c> and the plots.</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="summary">The run's summary.</param>
    /// <param name="warn">Told about anything that could not be written.</param>
    public static void Write(string runDirectory, TrainingSummary summary, Action<string> warn)
    {
        EvaluationJson? evaluation = null;
        if (summary.Test is { } test)
        {
            try
            {
                evaluation = EvaluationJson.From(summary.ModelPath ?? string.Empty, test, summary.ClassNames);
                File.WriteAllText(Path.Combine(runDirectory, RunArtifacts.Evaluation), JsonSerializer.Serialize(evaluation, CliJsonContext.Default.EvaluationJson));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warn($"warning: the test evaluation was not written to {runDirectory}: {e.Message}");
            }
        }

        IReadOnlyList<MetricsLine> lines;
        try
        {
            lines = MetricsFile.Read(runDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"warning: no plots: {e.Message}");
            return;
        }

        RunPlots.Write(runDirectory, lines, evaluation, warn);
    }
}
