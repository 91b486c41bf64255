using System.Globalization;
using Backprop.Cluster.Coordinator;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>The live view's table of a cluster's workers: one row per worker, then the steps' accounting as the caption.</summary>
internal static class WorkerTableView
{
    /// <summary>The table of <paramref name="table"/>.</summary>
    /// <param name="table">The coordinator's latest snapshot.</param>
    /// <returns>A Spectre table.</returns>
    public static Table Render(WorkerTable table)
    {
        var view = new Table().Border(TableBorder.Minimal).Title("workers");
        view.AddColumn("rank", c => c.RightAligned());
        view.AddColumn("host");
        view.AddColumn("state");
        view.AddColumn("steps", c => c.RightAligned());
        view.AddColumn("samples/s", c => c.RightAligned());

        // Both gradient timings, since their difference is the network and (de)serialisation time.
        view.AddColumn("grad ms", c => c.RightAligned());
        view.AddColumn("compute ms", c => c.RightAligned());
        view.AddColumn("rejected", c => c.RightAligned());
        foreach (var w in table.Workers)
        {
            view.AddRow(
                new Text(w.Rank is { } rank ? rank.ToString(CultureInfo.InvariantCulture) : "-"),
                new Text(w.Host),
                new Markup(State(w.State)),
                new Text(w.Steps.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(w.SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(Milliseconds(w.LastArrivalMs)),
                new Text(Milliseconds(w.LastComputeMs)),
                new Text(w.Rejected.ToString("N0", CultureInfo.InvariantCulture)));
        }

        view.Caption(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{table.InSteps} in the steps; {table.Account.ShortHandedSteps:N0} short-handed of {table.Account.Steps:N0} steps; {table.RejectedTotal:N0} rejected slices{Reasons(table)}. grad ms: the last gradient's arrival after its step's broadcast; compute ms: the worker's own part of it")));
        return view;
    }

    private static string State(WorkerState state) => state switch
    {
        WorkerState.Joining => "[yellow]joining[/]",
        WorkerState.Ready => "[blue]ready[/]",
        WorkerState.InSteps => "[green]in steps[/]",
        WorkerState.Unreachable => "[red]unreachable[/]",
        _ => "[grey]lost[/]",
    };

    private static string Milliseconds(double? ms) => ms is { } value ? value.ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string Reasons(WorkerTable table) => table.Rejections.Count == 0
        ? string.Empty
        : " (" + string.Join(", ", table.Rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value:N0}"))) + ")";
}
