using System.CommandLine;
using System.Globalization;
using System.Text;
using Backprop.Nn.Data;
using Backprop.Nn.Evaluation;
using Backprop.Nn.Jobs;
using Backprop.Nn.Models;
using Backprop.Nn.Persistence;
using Backprop.Numerics.Gemm;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop predict</c>: a saved model's predictions for new samples, as CSV.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file, or a run folder holding one.", Required = true };
        var input = new Option<string>("--input") { Description = "Samples to predict: a CSV file with the model's feature columns by name, or an IDX images file.", Required = true };
        var outputFile = new Option<string?>("--output") { Description = "Write the predictions to this CSV file instead of stdout." };
        var threads = new Option<int>("--threads") { Description = "Threads of the matrix products; 0 for every core.", DefaultValueFactory = _ => 0 };
        var command = new Command("predict", "Predict with a saved model: the class and its probabilities, or the predicted values.")
        {
            model, input, outputFile, threads,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var saved = ModelFile.Load(LocalTrainingJob.ResolveModelPath(parse.GetValue(model)!));
            var (features, count) = DatasetLoader.LoadFeaturesForPrediction(parse.GetValue(input)!, saved.FeatureNames, saved.Spec.Inputs);
            saved.Scaler.Apply(features, saved.Spec.Inputs);

            using var gemm = new GemmEngine(new GemmOptions { Threads = parse.GetValue(threads) });
            var outputs = new float[count * saved.Spec.Outputs];
            new Evaluator(new Network(saved.Spec, saved.Parameters, gemm)).Predict(features, count, outputs);
            string csv = Format(saved, outputs, count);
            if (parse.GetValue(outputFile) is { } path)
            {
                File.WriteAllText(path, csv);
                parse.InvocationConfiguration.Error.WriteLine($"{count} predictions written to {path}");
            }
            else
            {
                parse.InvocationConfiguration.Output.Write(csv);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>
    /// One row per sample: its index, the predicted class and each class's probability, or the
    /// predicted value of each target.
    /// </summary>
    private static string Format(SavedModel model, float[] outputs, int count)
    {
        var csv = new StringBuilder();
        int width = model.Spec.Outputs;
        bool classification = model.Task == TaskKind.Classification;
        csv.Append("row,");
        if (classification)
        {
            csv.Append("predicted,").AppendJoin(',', model.ClassNames.Select(c => Quote("p_" + c)));
        }
        else
        {
            csv.AppendJoin(',', Enumerable.Range(0, width).Select(t => width == 1 ? "prediction" : $"prediction_{t}"));
        }

        csv.Append('\n');
        for (int r = 0; r < count; r++)
        {
            var row = outputs.AsSpan(r * width, width);
            csv.Append(r.ToString(CultureInfo.InvariantCulture)).Append(',');
            if (classification)
            {
                // The binary loss has one output, P(class 1).
                var probabilities = width == 1 ? [1 - row[0], row[0]] : row.ToArray();
                int best = Array.IndexOf(probabilities, probabilities.Max());
                csv.Append(Quote(model.ClassNames[best]));
                foreach (float p in probabilities)
                {
                    csv.Append(',').Append(p.ToString("G6", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                csv.AppendJoin(',', row.ToArray().Select(v => v.ToString("G7", CultureInfo.InvariantCulture)));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
