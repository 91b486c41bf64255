using Backprop.Nn.Evaluation;

namespace Backprop.Cli.Rendering;

/// <summary>What <c>eval --json</c> prints (snake_case keys).</summary>
internal sealed record EvaluationJson
{
    public string Model { get; init; } = string.Empty;

    public string Data { get; init; } = string.Empty;

    public int Samples { get; init; }

    public double Loss { get; init; }

    public double? Accuracy { get; init; }

    public double? MacroPrecision { get; init; }

    public double? MacroRecall { get; init; }

    public double? MacroF1 { get; init; }

    public IReadOnlyList<ClassJson>? PerClass { get; init; }

    public int[][]? ConfusionMatrix { get; init; }

    public double? Mse { get; init; }

    public double? Mae { get; init; }

    public double? R2 { get; init; }

    public double? BaselineMse { get; init; }

    public static EvaluationJson From(string model, EvaluationReport report, IReadOnlyList<string> classNames)
    {
        if (report.Classification is { } c)
        {
            return new EvaluationJson
            {
                Model = model,
                Data = report.Source,
                Samples = c.Samples,
                Loss = c.Loss,
                Accuracy = c.Accuracy,
                MacroPrecision = c.MacroPrecision,
                MacroRecall = c.MacroRecall,
                MacroF1 = c.MacroF1,
                PerClass = [.. Enumerable.Range(0, c.ClassCount).Select(i => new ClassJson(classNames[i], c.Precision[i], c.Recall[i], c.F1[i], c.Support[i]))],
                ConfusionMatrix = [.. Enumerable.Range(0, c.ClassCount).Select(i => Enumerable.Range(0, c.ClassCount).Select(j => c.ConfusionMatrix[i, j]).ToArray())],
            };
        }

        var r = report.Regression!;
        return new EvaluationJson { Model = model, Data = report.Source, Samples = r.Samples, Loss = r.Loss, Mse = r.Mse, Mae = r.Mae, R2 = r.R2, BaselineMse = r.BaselineMse };
    }
}

/// <summary>One class's row of the evaluation.</summary>
/// <param name="Class">The class name.</param>
/// <param name="Precision">Of the predictions of this class, the share that were right.</param>
/// <param name="Recall">Of the samples of this class, the share found.</param>
/// <param name="F1">Harmonic mean of the two.</param>
/// <param name="Support">Samples of this class.</param>
internal sealed record ClassJson(string Class, double Precision, double Recall, double F1, int Support);
