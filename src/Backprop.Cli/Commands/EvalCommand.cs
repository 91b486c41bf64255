using System.CommandLine;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Cluster.Configuration;
using Backprop.Nn.Evaluation;
using Backprop.Nn.Jobs;
using Backprop.Nn.Models;
using Backprop.Nn.Persistence;
using Backprop.Numerics.Gemm;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop eval</c>: a saved model's metrics on held-out data.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file, or a run folder holding one.", Required = true };
        var data = new Option<string?>("--data") { Description = "Labelled data (CSV, IDX file or folder, builtin:NAME); default: the test set of the model's own run." };
        var target = new Option<string?>("--target") { Description = "The CSV target column, if not the one column the model does not take." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var threads = new Option<int>("--threads") { Description = "Threads of the matrix products; 0 for every core.", DefaultValueFactory = _ => 0 };
        var command = new Command("eval", "Evaluate a saved model: loss, accuracy, per-class precision/recall and confusion matrix, or MSE/MAE/R².")
        {
            model, data, target, json, threads,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            string modelPath = LocalTrainingJob.ResolveModelPath(parse.GetValue(model)!);
            var saved = ModelFile.Load(modelPath);
            var dataset = parse.GetValue(data) is { } path
                ? ModelData.LoadLabeled(path, saved, parse.GetValue(target))
                : OwnTestSet(saved, modelPath);

            using var gemm = new GemmEngine(new GemmOptions { Threads = parse.GetValue(threads) });
            var report = new Evaluator(new Network(saved.Spec, saved.Parameters, gemm)).Evaluate(dataset);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(EvaluationJson.From(modelPath, report, saved.ClassNames), CliJsonContext.Default.EvaluationJson));
            }
            else
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
                console.MarkupLine($"[bold]{Markup.Escape(modelPath)}[/]: {Markup.Escape(saved.Spec.ToString())}");
                foreach (var table in EvaluationTable.Render(report, saved.ClassNames))
                {
                    console.Write(table);
                }
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The test set the model's run held out, rebuilt from its stored configuration (same data, seed and split).</summary>
    private static Nn.Data.Dataset OwnTestSet(SavedModel saved, string modelPath)
    {
        var settings = SettingsReader.LoadText(saved.Config, modelPath + " (its stored configuration)");
        var prepared = PreparedData.Load(settings, saved.Scaler);
        return prepared.Test ?? throw new Nn.Settings.InvalidSettingException(
            "--data", $"the run of {modelPath} held out no test set (test-split = 0 and no test file): name labelled data with --data.");
    }
}
