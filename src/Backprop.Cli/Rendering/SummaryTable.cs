using System.Globalization;
using Backprop.Nn.Jobs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Rendering;

/// <summary>The end of a run as a two-column table.</summary>
internal static class SummaryTable
{
    public static IRenderable Render(TrainingSummary s, string runDirectory)
    {
        var table = new Table().HideHeaders().Border(TableBorder.Rounded).AddColumn("what").AddColumn("value");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

        if (s.Test?.Classification is { } c)
        {
            Row("test accuracy", F(c.Accuracy, "P2"));
            Row("test loss", F(c.Loss, "F4"));
        }
        else if (s.Test?.Regression is { } r)
        {
            Row("test MSE", $"{F(r.Mse, "G5")} (predicting the mean: {F(r.BaselineMse, "G5")})");
            Row("test MAE", F(r.Mae, "G5"));
            Row("test R²", F(r.R2, "F4"));
        }

        Row("model", s.Model);
        Row("epochs / steps", $"{s.Epochs} / {s.Steps}" + (s.StoppedEarly ? " (stopped early)" : string.Empty));
        Row("samples/s", F(s.TrainSamplesPerSecond, "N0") + " (median of epochs 2..N, training only)");
        if (s.SecondsToTarget is { } t)
        {
            Row($"time to {F(s.TargetAccuracy, "P0")} test accuracy", $"{F(t, "F2")} s (epoch {s.EpochToTarget})");
        }

        Row("wall time", F(s.WallSeconds, "F1") + " s");
        Row("run folder", runDirectory);
        if (s.ModelPath is not null)
        {
            Row("model file", s.ModelPath);
        }

        return table;
    }
}
