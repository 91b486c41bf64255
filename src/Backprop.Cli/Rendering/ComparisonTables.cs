using System.Globalization;
using Backprop.Cli.Runs;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>The tables of <c>runs compare</c>: the differing settings, then the final metrics.</summary>
internal static class ComparisonTables
{
    public static Table Configuration(RunComparison comparison)
    {
        var table = new Table().RoundedBorder().Title("configuration differences");
        table.AddColumn("key");
        table.AddColumn(new TableColumn(Markup.Escape(comparison.A.Name)));
        table.AddColumn(new TableColumn(Markup.Escape(comparison.B.Name)));
        if (comparison.Differences.Count == 0)
        {
            table.AddRow(new Text("(the same configuration)"), new Text(string.Empty), new Text(string.Empty));
        }

        foreach (var d in comparison.Differences)
        {
            table.AddRow(new Text(d.Key), new Text(d.A ?? "-"), new Text(d.B ?? "-"));
        }

        return table;
    }

    public static Table Metrics(RunComparison comparison)
    {
        var table = new Table().RoundedBorder().Title("final metrics");
        table.AddColumn("metric");
        table.AddColumn(new TableColumn(Markup.Escape(comparison.A.Name)).RightAligned());
        table.AddColumn(new TableColumn(Markup.Escape(comparison.B.Name)).RightAligned());
        void Row(string name, Func<RunRow, string?> value) =>
            table.AddRow(new Text(name), new Text(value(comparison.A) ?? "-"), new Text(value(comparison.B) ?? "-"));

        Row("state", r => r.State);
        Row("model", r => r.Model);
        Row("epochs", r => r.Epochs?.ToString(CultureInfo.InvariantCulture));
        Row("test accuracy", r => r.TestAccuracy?.ToString("P2", CultureInfo.InvariantCulture));
        Row("test loss", r => r.TestLoss?.ToString("F4", CultureInfo.InvariantCulture));
        Row("wall time", r => r.WallSeconds is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) + " s" : null);
        Row("workers", r => r.Workers?.ToString(CultureInfo.InvariantCulture));
        return table;
    }
}
