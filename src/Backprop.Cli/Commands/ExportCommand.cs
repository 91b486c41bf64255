using System.CommandLine;
using Backprop.Nn.Data;
using Backprop.Nn.Jobs;
using Backprop.Nn.Persistence;
using Backprop.Onnx;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop export</c>: a saved model in a format other tools run (ONNX).</summary>
internal static class ExportCommand
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    private static readonly string[] Formats = ["onnx"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file, or a run folder holding one.", Required = true };
        var format = new Option<string>("--format") { Description = "The format to write: onnx.", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong(Formats);
        var output = new Option<string>("--output") { Description = "The file to write, e.g. model.onnx.", Required = true };
        var command = new Command(
            "export",
            $"Export a saved model as ONNX (IR {OnnxFormat.IrVersion}, opset {OnnxFormat.Opset}): takes the raw inputs predict takes, " +
            $"outputs '{OnnxNames.Probabilities}' and '{OnnxNames.ClassIndex}' (classification) or '{OnnxNames.Prediction}' (regression).")
        {
            model, format, output,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            string modelPath = LocalTrainingJob.ResolveModelPath(parse.GetValue(model)!);
            string path = parse.GetValue(output)!;
            var saved = ModelFile.Load(modelPath);
            OnnxExporter.Save(saved, path);
            parse.InvocationConfiguration.Output.WriteLine($"{modelPath} ({saved.Spec}) exported to {path}");
            parse.InvocationConfiguration.Output.WriteLine($"  ONNX IR version {OnnxFormat.IrVersion}, opset {OnnxFormat.Opset}");
            parse.InvocationConfiguration.Output.WriteLine($"  input  '{OnnxNames.Input}': float32 [batch, {saved.Spec.Inputs}], raw values ({saved.Scaler.Kind} scaling is inside the model)");
            foreach (string line in Outputs(saved))
            {
                parse.InvocationConfiguration.Output.WriteLine(line);
            }

            return 0;
        }));
        return command;
    }

    private static IEnumerable<string> Outputs(SavedModel model)
    {
        if (model.Task == TaskKind.Classification)
        {
            yield return $"  output '{OnnxNames.Probabilities}': float32 [batch, {model.ClassNames.Count}], one probability per class";
            yield return $"  output '{OnnxNames.ClassIndex}': int64 [batch], the most probable class";
        }
        else
        {
            yield return $"  output '{OnnxNames.Prediction}': float32 [batch, {model.Spec.Outputs}], the predicted values";
        }
    }
}
