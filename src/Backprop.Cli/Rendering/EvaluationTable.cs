using System.Globalization;
using Backprop.Nn.Evaluation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Rendering;

/// <summary>An evaluation as tables: the headline numbers, per-class precision and recall, the confusion matrix.</summary>
internal static class EvaluationTable
{
    public static IEnumerable<IRenderable> Render(EvaluationReport report, IReadOnlyList<string> classNames)
    {
        static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var headline = new Table().HideHeaders().Border(TableBorder.Rounded).AddColumn("what").AddColumn("value");
        headline.AddRow("data", Markup.Escape(report.Source));
        if (report.Regression is { } r)
        {
            headline.AddRow("samples", r.Samples.ToString(CultureInfo.InvariantCulture));
            headline.AddRow("loss (MSE per sample)", F(r.Loss, "G5"));
            headline.AddRow("MSE", F(r.Mse, "G5"));
            headline.AddRow("MAE", F(r.Mae, "G5"));
            headline.AddRow("R²", F(r.R2, "F4"));
            headline.AddRow("MSE of predicting the mean", F(r.BaselineMse, "G5"));
            yield return headline;
            yield break;
        }

        var c = report.Classification!;
        headline.AddRow("samples", c.Samples.ToString(CultureInfo.InvariantCulture));
        headline.AddRow("loss", F(c.Loss, "F4"));
        headline.AddRow("accuracy", F(c.Accuracy, "P2"));
        headline.AddRow("macro precision / recall / F1", $"{F(c.MacroPrecision, "P1")} / {F(c.MacroRecall, "P1")} / {F(c.MacroF1, "P1")}");
        yield return headline;

        var perClass = new Table().Border(TableBorder.Rounded).AddColumn("class")
            .AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("support").RightAligned());
        for (int i = 0; i < c.ClassCount; i++)
        {
            perClass.AddRow(Markup.Escape(classNames[i]), F(c.Precision[i], "P1"), F(c.Recall[i], "P1"), F(c.F1[i], "P1"), c.Support[i].ToString(CultureInfo.InvariantCulture));
        }

        yield return perClass;

        var matrix = new Table().Border(TableBorder.Rounded).Title("confusion matrix (rows: actual, columns: predicted)").AddColumn("actual");
        for (int j = 0; j < c.ClassCount; j++)
        {
            matrix.AddColumn(new TableColumn(j.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }

        for (int i = 0; i < c.ClassCount; i++)
        {
            matrix.AddRow([Markup.Escape($"{i} {classNames[i]}"), .. Enumerable.Range(0, c.ClassCount).Select(j => c.ConfusionMatrix[i, j].ToString(CultureInfo.InvariantCulture))]);
        }

        yield return matrix;
    }
}
