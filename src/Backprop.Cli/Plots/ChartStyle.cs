using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>What every chart of a run shares: its size and its font.</summary>
internal static class ChartStyle
{
    /// <summary>Width of a chart in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of a chart in pixels.</summary>
    public const int Height = 450;

    /// <summary>A new chart with a title and axis labels.</summary>
    /// <param name="title">The title.</param>
    /// <param name="x">The horizontal axis label.</param>
    /// <param name="y">The vertical axis label.</param>
    public static Plot Create(string title, string x, string y)
    {
        var plot = new Plot();

        // A sans-serif that Debian's fonts-dejavu-core provides; Skia falls back to any installed
        // font when it is missing, and draws no text (but still the chart) when there is none.
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    /// <summary>Adds a line with markers and a legend entry.</summary>
    /// <param name="plot">The chart.</param>
    /// <param name="xs">Horizontal values.</param>
    /// <param name="ys">Vertical values, same count.</param>
    /// <param name="legend">The legend text.</param>
    /// <param name="dashed">Dashed (for a derived or secondary series).</param>
    public static void Line(Plot plot, double[] xs, double[] ys, string legend, bool dashed = false)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = legend;
        line.LineWidth = 2;
        line.MarkerSize = xs.Length > 60 ? 0 : 5;
        if (dashed)
        {
            line.LinePattern = LinePattern.Dashed;
        }
    }
}
