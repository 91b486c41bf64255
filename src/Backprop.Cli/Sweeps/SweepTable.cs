using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Sweeps;

/// <summary>The trials of a sweep as a table: parameters, status, test accuracy and loss, wall time; the best marked.</summary>
internal static class SweepTable
{
    /// <summary>The table of <paramref name="sweep"/>.</summary>
    public static IRenderable Render(SweepRecord sweep)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"sweep {sweep.Name}"));
        table.AddColumn(new TableColumn("trial").NoWrap());
        foreach (var axis in sweep.Grid)
        {
            table.AddColumn(Markup.Escape(axis.Name));
        }

        table.AddColumn("status");
        table.AddColumn(new TableColumn("test acc").RightAligned());
        table.AddColumn(new TableColumn("test loss").RightAligned());
        table.AddColumn(new TableColumn("wall s").RightAligned());
        foreach (var trial in sweep.TrialList)
        {
            var cells = new List<string> { Markup.Escape(trial.Id) + (trial.Id == sweep.Best ? " [green]*[/]" : string.Empty) };
            cells.AddRange(sweep.Grid.Select(axis => Markup.Escape(trial.Parameters.TryGetValue(axis.Name, out string? value) ? value : "?")));
            cells.Add(Status(trial));
            cells.Add(Number(trial.TestAccuracy, "0.0000"));
            cells.Add(Number(trial.TestLoss, "0.0000"));
            cells.Add(Number(trial.WallSeconds, "0.0"));
            table.AddRow(cells.ToArray());
        }

        return table;
    }

    private static string Status(TrialRecord trial) => trial.Status switch
    {
        TrialStatus.Finished => "[green]finished[/]",
        TrialStatus.Failed => "[red]failed[/]",
        TrialStatus.Running => "[yellow]running[/]",
        TrialStatus.Interrupted => "[yellow]interrupted[/]",
        _ => Markup.Escape(trial.Status),
    };

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
