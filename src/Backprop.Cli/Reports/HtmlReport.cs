using System.Globalization;
using System.Net;
using System.Text;
using Backprop.Cli.Rendering;
using Backprop.Cli.Runs;

namespace Backprop.Cli.Reports;

/// <summary>
/// A run's report as one self-contained HTML page: inline CSS, the plots embedded as <c>data:</c>
/// URIs, no script and no link outside the file, so it can be mailed or archived as it is.
/// </summary>
internal static class HtmlReport
{
    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #1d2330; background: #ffffff; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { font-size: 1.2em; border-bottom: 2px solid #3b6ea5; padding-bottom: 0.2em; margin-top: 2em; }
        .subtitle { color: #5a6270; }
        .state { display: inline-block; padding: 0.1em 0.6em; border-radius: 0.8em; color: #fff; font-size: 0.9em; }
        .state-finished { background: #2f8f4e; } .state-interrupted { background: #c0712b; } .state-running { background: #3b6ea5; }
        table { border-collapse: collapse; margin: 0.5em 0; }
        th, td { border: 1px solid #d4d9e1; padding: 0.3em 0.8em; text-align: right; }
        th { background: #eef2f7; } td.name, th.name { text-align: left; }
        figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #d4d9e1; }
        figcaption { color: #5a6270; font-size: 0.9em; }
        pre { background: #f5f7fa; border: 1px solid #d4d9e1; padding: 1em; overflow-x: auto; font-size: 0.85em; }
        """;

    /// <summary>The page.</summary>
    /// <param name="run">The run folder's contents.</param>
    /// <param name="plots">The plots to embed, as written into the folder: file name and title.</param>
    /// <param name="notes">Lines to show at the top (plots that could not be drawn).</param>
    public static string Render(RunFolder run, IReadOnlyList<(string File, string Title)> plots, IReadOnlyList<string> notes)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>backprop run {E(run.Name)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n");
        string state = run.State.ToString().ToLowerInvariant();
        html.Append(CultureInfo.InvariantCulture, $"<h1>Run {E(run.Name)} <span class=\"state state-{state}\">{state}</span></h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"subtitle\">started {run.Started:yyyy-MM-dd HH:mm:ss}; report written {DateTime.Now:yyyy-MM-dd HH:mm:ss} from {E(run.Path)}</p>\n");
        foreach (string note in notes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"subtitle\">{E(note)}</p>\n");
        }

        FinalMetrics(html, run);
        Plots(html, run.Path, plots);
        if (run.Evaluation?.PerClass is { Count: > 0 } classes)
        {
            PerClass(html, run.Evaluation, classes);
        }

        html.Append("<h2>Configuration</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<pre>{E(run.ConfigText ?? "(no config.conf in the run folder)")}</pre>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void FinalMetrics(StringBuilder html, RunFolder run)
    {
        html.Append("<h2>Final metrics</h2>\n<table>\n");
        var s = run.Summary;
        var last = run.LastEpoch;
        Row(html, "model", s?.Model);
        Row(html, "epochs", s?.Epochs.ToString(CultureInfo.InvariantCulture) ?? last?.Epoch.ToString(CultureInfo.InvariantCulture));
        Row(html, "steps", s?.Steps.ToString(CultureInfo.InvariantCulture) ?? (run.Metrics.Count > 0 ? run.Metrics[^1].Step.ToString(CultureInfo.InvariantCulture) : null));
        Row(html, "test accuracy", Percent(run.TestAccuracy));
        Row(html, "test loss", Number(run.TestLoss, "F4"));
        Row(html, "test MSE", Number(s?.TestMse, "G5"));
        Row(html, "test MAE", Number(s?.TestMae, "G5"));
        Row(html, "test R²", Number(s?.TestR2, "F4"));
        Row(html, "validation accuracy (last epoch)", Percent(last?.ValidationAccuracy));
        Row(html, "validation loss (last epoch)", Number(last?.ValidationLoss, "F4"));
        Row(html, "training samples/s", Number(s?.TrainSamplesPerSec, "N0"));
        Row(html, "wall time (s)", Number(run.WallSeconds, "F1"));
        Row(html, "workers", s?.Workers?.ToString(CultureInfo.InvariantCulture));
        if (s?.StepBreakdownUs is { } b)
        {
            Row(html, "step (µs): broadcast / compute / transfer / apply", string.Create(CultureInfo.InvariantCulture, $"{b.Step:F0}: {b.Broadcast:F0} / {b.Compute:F0} / {b.Transfer:F0} / {b.Apply:F0}"));
        }

        Row(html, "stopped early", s is { StoppedEarly: true } ? "yes" : null);
        html.Append("</table>\n");
    }

    private static void Plots(StringBuilder html, string runDirectory, IReadOnlyList<(string File, string Title)> plots)
    {
        html.Append("<h2>Plots</h2>\n");
        if (plots.Count == 0)
        {
            html.Append("<p class=\"subtitle\">No plot could be drawn.</p>\n");
        }

        foreach (var (file, title) in plots)
        {
            string data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(runDirectory, file)));
            html.Append(CultureInfo.InvariantCulture, $"<figure><img alt=\"{E(title)}\" src=\"data:image/png;base64,{data}\"><figcaption>{E(title)} ({E(file)})</figcaption></figure>\n");
        }
    }

    private static void PerClass(StringBuilder html, EvaluationJson evaluation, IReadOnlyList<ClassJson> classes)
    {
        html.Append("<h2>Per class (test set)</h2>\n<table>\n<tr><th class=\"name\">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
        foreach (var c in classes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"name\">{E(c.Class)}</td><td>{c.Precision:F3}</td><td>{c.Recall:F3}</td><td>{c.F1:F3}</td><td>{c.Support}</td></tr>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<tr><th class=\"name\">macro average</th><th>{evaluation.MacroPrecision:F3}</th><th>{evaluation.MacroRecall:F3}</th><th>{evaluation.MacroF1:F3}</th><th>{evaluation.Samples}</th></tr>\n");
        html.Append("</table>\n");
    }

    private static void Row(StringBuilder html, string name, string? value)
    {
        if (value is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"name\">{E(name)}</td><td>{E(value)}</td></tr>\n");
        }
    }

    private static string? Percent(double? value) => value is { } v ? v.ToString("P2", CultureInfo.InvariantCulture) : null;

    private static string? Number(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : null;

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
