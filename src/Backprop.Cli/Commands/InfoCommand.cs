using System.CommandLine;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Cli.Runs;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop info</c>: what a saved model is, how it was trained and how well it did.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file, or a run folder holding one.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command(
            "info",
            "Describe a saved model: architecture, parameter count, data transform, classes, training configuration, final metrics, file format version.")
        {
            model, json,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var info = ModelInfo.Load(parse.GetValue(model)!);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(ModelInfoJson.From(info), CliJsonContext.Default.ModelInfoJson));
            }
            else
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
                foreach (var part in ModelInfoView.Render(info))
                {
                    console.Write(part);
                }
            }

            return 0;
        }));
        return command;
    }
}
