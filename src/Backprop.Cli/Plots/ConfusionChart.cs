using System.Globalization;
using ScottPlot;

namespace Backprop.Cli.Plots;

/// <summary>The confusion matrix of a test evaluation as a heatmap with each cell's count.</summary>
internal static class ConfusionChart
{
    /// <summary>The chart; rows are the actual classes (first at the top), columns the predicted ones.</summary>
    /// <param name="matrix"><c>matrix[actual][predicted]</c>: sample counts.</param>
    /// <param name="classNames">The class names, indexed by label.</param>
    public static Plot Draw(IReadOnlyList<int[]> matrix, IReadOnlyList<string> classNames)
    {
        int n = matrix.Count;
        var plot = ChartStyle.Create("Confusion matrix (test set)", "predicted", "actual");
        var values = new double[n, n];
        int max = 1;
        for (int a = 0; a < n; a++)
        {
            for (int p = 0; p < n; p++)
            {
                values[a, p] = matrix[a][p];
                max = Math.Max(max, matrix[a][p]);
            }
        }

        // The heatmap draws row 0 at the top, cell centres at x = column and y = n - 1 - row.
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        if (n <= 20)
        {
            for (int a = 0; a < n; a++)
            {
                for (int p = 0; p < n; p++)
                {
                    var text = plot.Add.Text(matrix[a][p].ToString(CultureInfo.InvariantCulture), p, n - 1 - a);
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontSize = n > 10 ? 10 : 13;

                    // Viridis is bright at the top of its range: dark text there, white below.
                    text.LabelFontColor = matrix[a][p] > max * 0.6 ? Colors.Black : Colors.White;
                }
            }
        }

        double[] positions = [.. Enumerable.Range(0, n).Select(i => (double)i)];
        string[] names = [.. Enumerable.Range(0, n).Select(i => i < classNames.Count ? Short(classNames[i]) : i.ToString(CultureInfo.InvariantCulture))];
        plot.Axes.Bottom.SetTicks(positions, names);
        plot.Axes.Left.SetTicks([.. positions.Select(p => n - 1 - p)], names);
        if (n > 6)
        {
            // Slanted names need room below the axis, or they run into its label.
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = 20 + (7 * names.Max(name => name.Length));
        }

        return plot;
    }

    private static string Short(string name) => name.Length <= 14 ? name : name[..13] + "…";
}
