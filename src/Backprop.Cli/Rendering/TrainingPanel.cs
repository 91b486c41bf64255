using System.Globalization;
using Backprop.Cluster.Coordinator;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Rendering;

/// <summary>
/// What the live view draws, from immutable readings only: the finished epochs' lines, the current
/// epoch's bar with step and ETA, the running loss, accuracy, samples/s and learning rate, the
/// workers of a cluster run and the latest log lines. Pure, so a test renders it to a string.
/// </summary>
internal static class TrainingPanel
{
    private const int BarWidth = 30;

    /// <summary>The panel now.</summary>
    /// <param name="reading">The latest progress, or null before the first step.</param>
    /// <param name="epochLines">The lines of the finished epochs.</param>
    /// <param name="workers">The cluster's latest worker table; null on a local run.</param>
    /// <param name="messages">The latest log lines.</param>
    /// <returns>Something to hand Spectre's live display.</returns>
    public static IRenderable Render(ProgressReading? reading, IReadOnlyList<string> epochLines, WorkerTable? workers, IReadOnlyList<string> messages)
    {
        var rows = new List<IRenderable>();
        rows.AddRange(epochLines.Select(line => new Text(line)));
        if (reading is null)
        {
            rows.Add(new Markup("[grey]waiting for the first step…[/]"));
        }
        else
        {
            rows.Add(new Markup(ProgressLine(reading)));
            rows.Add(new Text(StatsLine(reading)));
        }

        if (workers is not null)
        {
            rows.Add(WorkerTableView.Render(workers));
        }

        rows.AddRange(messages.Select(line => new Markup($"[grey]{Markup.Escape(line)}[/]")));
        return new Rows(rows);
    }

    private static string ProgressLine(ProgressReading reading)
    {
        var p = reading.Progress;
        double fraction = p.Batches == 0 ? 0 : Math.Clamp((double)p.Batch / p.Batches, 0, 1);
        int filled = (int)Math.Round(fraction * BarWidth);
        string eta = reading.Eta is { } left ? Duration(left) : "?";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.Epochs} [green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {fraction,4:P0}  batch {p.Batch}/{p.Batches}  step {p.Step:N0}/{reading.TotalSteps:N0}  ETA {eta}");
    }

    private static string StatsLine(ProgressReading reading)
    {
        var p = reading.Progress;
        string accuracy = p.Accuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $"  acc {a:P1}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"loss {p.Loss:F4}{accuracy}  {p.SamplesPerSecond:N0} samples/s  lr {p.LearningRate:G4}");
    }

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
}
