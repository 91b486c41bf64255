using System.CommandLine;
using Backprop.Cli.Plots;
using Backprop.Cli.Reports;
using Backprop.Cli.Runs;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop report --run-dir D</c>: redraws a run's plots and writes <c>D/report.html</c>.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runDir = new Option<string>("--run-dir")
        {
            Description = "The run folder to report on (default: the latest run under runs/).",
        };
        var command = new Command("report", "Redraw a run's plots from its metrics.jsonl and write a self-contained report.html into its folder.")
        {
            runDir,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            string folder = parse.GetValue(runDir)
                ?? RunDirectory.Latest()
                ?? throw new DirectoryNotFoundException($"there is no run folder under {RunDirectory.Root}/; give --run-dir.");
            var error = parse.InvocationConfiguration.Error;
            string path = Write(folder, DateTime.Now, error.WriteLine);
            parse.InvocationConfiguration.Output.WriteLine(path);
            return 0;
        }));
        return command;
    }

    /// <summary>Redraws the plots and writes the report.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="now">The time now.</param>
    /// <param name="warn">Told about each plot that could not be drawn.</param>
    /// <returns>The report's path.</returns>
    /// <exception cref="FileNotFoundException">The folder has no metrics.jsonl.</exception>
    public static string Write(string folder, DateTime now, Action<string> warn)
    {
        var run = RunFolder.Read(folder, now);
        if (!run.HasMetrics)
        {
            // The same message as reading it: the folder and the missing file.
            Metrics.MetricsFile.Read(folder);
        }

        var notes = new List<string>();
        var plots = RunPlots.Write(folder, run.Metrics, run.Evaluation, note =>
        {
            notes.Add(note);
            warn(note);
        });
        string path = Path.Combine(folder, RunArtifacts.Report);
        File.WriteAllText(path, HtmlReport.Render(run, plots, notes));
        return path;
    }
}
