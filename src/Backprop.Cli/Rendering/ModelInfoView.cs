using System.Globalization;
using System.Text.Json;
using Backprop.Cli.Runs;
using Backprop.Cluster.Configuration;
using Backprop.Nn.Data;
using Backprop.Nn.Losses;
using Backprop.Nn.Parameters;
using Backprop.Numerics.Elementwise;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Rendering;

/// <summary><c>backprop info</c> as tables: the model, its layers, its data transform, the run's final metrics, its configuration.</summary>
internal static class ModelInfoView
{
    /// <summary>The keys of summary.json worth a line, in the order shown.</summary>
    private static readonly string[] SummaryKeys =
    [
        "test_accuracy", "test_loss", "test_mse", "test_baseline_mse", "test_mae", "test_r2",
        "epochs", "steps", "stopped_early", "completed", "train_samples", "test_samples", "wall_seconds", "workers",
    ];

    public static IEnumerable<IRenderable> Render(ModelInfo info)
    {
        var model = info.Model;
        var spec = model.Spec;
        var overview = TwoColumns();
        void Row(string name, string value) => overview.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("file", info.Path);
        Row("file format version", info.FormatVersion.ToString(CultureInfo.InvariantCulture));
        Row("architecture", spec.ToString());
        Row("task", model.Task.ToString().ToLowerInvariant());
        Row("parameters", info.ParameterCount.ToString("N0", CultureInfo.InvariantCulture));
        Row("features", $"{spec.Inputs}: {Abbreviate(model.FeatureNames)}");
        if (model.Task == TaskKind.Classification)
        {
            Row("classes", $"{model.ClassNames.Count}: {string.Join(", ", model.ClassNames)}");
        }

        Row("data transform", Transform(model.Scaler));
        yield return overview;
        yield return Layers(info);
        yield return RunSummary(info);
        yield return new Panel(new Text(model.Config.TrimEnd())).Header("training configuration").Border(BoxBorder.Rounded);
    }

    private static Table Layers(ModelInfo info)
    {
        var spec = info.Model.Spec;
        var layout = new ParameterLayout(spec.Widths);
        var table = new Table().Border(TableBorder.Rounded).Title("layers")
            .AddColumn("#").AddColumn("layer").AddColumn(new TableColumn("in → out")).AddColumn("activation").AddColumn("dropout").AddColumn(new TableColumn("parameters").RightAligned());
        var layers = spec.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            var activation = layers[l].Activation;
            // As the configuration spells it (leaky-relu, gelu-erf), not as the enum does.
            string name = SettingsWriter.ActivationName(activation.Kind);
            if (activation.Kind == ActivationKind.LeakyRelu)
            {
                name += $" (slope {activation.Slope.ToString(CultureInfo.InvariantCulture)})";
            }

            if (l == layers.Count - 1)
            {
                // The output layer is linear; its non-linearity is the loss's (see ModelSpec).
                name = spec.Loss switch
                {
                    LossKind.SoftmaxCrossEntropy => "softmax",
                    LossKind.BinaryCrossEntropy => "sigmoid",
                    _ => "identity",
                };
            }

            table.AddRow(
                l.ToString(CultureInfo.InvariantCulture),
                l == layers.Count - 1 ? "output" : "hidden",
                $"{spec.Widths[l]} → {spec.Widths[l + 1]}",
                Markup.Escape(name),
                layers[l].Dropout.ToString("0.##", CultureInfo.InvariantCulture),
                (layout.Weight(l).Length + layout.Bias(l).Length).ToString("N0", CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static IRenderable RunSummary(ModelInfo info)
    {
        if (info.RunSummaryProblem is { } problem)
        {
            return new Markup($"[yellow]final metrics: {Markup.Escape(problem)}[/]");
        }

        if (info.RunSummary is not { } summary)
        {
            return new Markup("final metrics: none (no summary.json beside the model: not a run folder, or the run did not finish)");
        }

        var table = TwoColumns().Title("final metrics (summary.json)");
        foreach (string key in SummaryKeys)
        {
            if (summary.TryGetProperty(key, out var value) && value.ValueKind is not JsonValueKind.Null)
            {
                table.AddRow(Markup.Escape(key.Replace('_', ' ')), Markup.Escape(Format(key, value)));
            }
        }

        return table;
    }

    private static string Format(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when key == "test_accuracy" => value.GetDouble().ToString("P2", CultureInfo.InvariantCulture),
        JsonValueKind.Number => value.GetDouble().ToString("G6", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Transform(FeatureScaler scaler)
    {
        string Range(float[] values) => values.Min() == values.Max()
            ? values[0].ToString("G6", CultureInfo.InvariantCulture)
            : $"{values.Min().ToString("G6", CultureInfo.InvariantCulture)} .. {values.Max().ToString("G6", CultureInfo.InvariantCulture)}";
        return scaler.Kind switch
        {
            ScalingKind.None => "none: features used as read",
            ScalingKind.Divide255 => "divide by 255: x / 255 per feature (8-bit pixels)",
            ScalingKind.Standardize => $"standardize: (x - mean) / deviation per feature, from the training split; mean {Range(scaler.Offset)}, 1/deviation {Range(scaler.Scale)}",
            ScalingKind.MinMax => $"min-max: (x - min) / (max - min) per feature, from the training split; min {Range(scaler.Offset)}, 1/(max - min) {Range(scaler.Scale)}",
            _ => $"{scaler.Kind}: (x - offset) * scale per feature",
        };
    }

    private static string Abbreviate(IReadOnlyList<string> names) =>
        names.Count <= 12 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(4))}, …, {names[^1]}";

    private static Table TwoColumns() => new Table().HideHeaders().Border(TableBorder.Rounded).AddColumn("what").AddColumn("value");
}
