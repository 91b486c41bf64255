using System.Globalization;
using Backprop.Cli.Runs;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>The table of <c>backprop runs</c>: one row per run folder.</summary>
internal static class RunsTable
{
    public static Table Render(IReadOnlyList<RunRow> rows)
    {
        var table = new Table().RoundedBorder();
        foreach (string column in new[] { "run", "time", "dataset", "model", "epochs", "batch", "lr", "optimizer", "test acc", "test loss", "wall", "state" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var r in rows)
        {
            string epochs = (r.Epochs, r.EpochsPlanned) switch
            {
                ({ } done, { } planned) when done != planned => string.Create(CultureInfo.InvariantCulture, $"{done}/{planned}"),
                ({ } done, _) => done.ToString(CultureInfo.InvariantCulture),
                (null, { } planned) => string.Create(CultureInfo.InvariantCulture, $"-/{planned}"),
                _ => "-",
            };
            string optimizer = r.Optimizer ?? "-";
            if (r.Workers is { } w)
            {
                optimizer += string.Create(CultureInfo.InvariantCulture, $" ({w} workers)");
            }

            table.AddRow(
                Cell(r.Name),
                Cell(r.Started),
                Cell(r.Dataset),
                Cell(Layers(r.Model)),
                Cell(epochs),
                Cell(r.Batch?.ToString(CultureInfo.InvariantCulture)),
                Cell(r.Lr?.ToString("G4", CultureInfo.InvariantCulture)),
                Cell(optimizer),
                Cell(r.TestAccuracy?.ToString("P2", CultureInfo.InvariantCulture)),
                Cell(r.TestLoss?.ToString("F4", CultureInfo.InvariantCulture)),
                Cell(r.WallSeconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) + " s" : null),
                new Markup(r.State switch
                {
                    "finished" => "[green]finished[/]",
                    "running" => "[blue]running[/]",
                    _ => "[yellow]" + Markup.Escape(r.State) + "[/]",
                }));
        }

        return table;
    }

    private static Text Cell(string? text) => new(text ?? "-");

    /// <summary>The layer sizes of a model description ("784-256-128-10 relu SoftmaxCrossEntropy"): the rest is in the config.</summary>
    private static string? Layers(string? model) => model?.Split(' ', 2)[0];
}
