using System.CommandLine;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Cli.Runs;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop runs</c>: the runs under a folder as a table; <c>runs compare A B</c>: two of them side by side.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "The folder of run folders.", DefaultValueFactory = _ => RunDirectory.Root };
        var sort = new Option<string>("--sort")
        {
            Description = $"The column to sort by: {string.Join(", ", RunRow.SortKeys)}; '-' in front for descending (--sort=-accuracy).",
            DefaultValueFactory = _ => "time",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON array instead of the table." };
        var command = new Command("runs", "List the runs under --root: data, model, settings, final test metrics, wall time and state (finished, interrupted, running).")
        {
            root, sort, json,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var now = DateTime.Now;
            var rows = RunRow.Sort(RunRoot.Folders(parse.GetValue(root)!).Select(f => RunRow.From(RunFolder.Read(f, now))), parse.GetValue(sort)!);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.IReadOnlyListRunRow));
            }
            else if (rows.Count == 0)
            {
                output.WriteLine($"no runs under {parse.GetValue(root)}/");
            }
            else
            {
                Console(output).Write(RunsTable.Render(rows));
            }

            return 0;
        }));
        command.Subcommands.Add(Compare(root));
        return command;
    }

    private static Command Compare(Option<string> root)
    {
        var a = new Argument<string>("A") { Description = "The first run: a folder, or a folder name under --root." };
        var b = new Argument<string>("B") { Description = "The second run." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the tables." };
        var command = new Command("compare", "Show two runs side by side: the configuration keys that differ and the final metrics.")
        {
            a, b, root, json,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var now = DateTime.Now;
            string folder = parse.GetValue(root)!;
            var comparison = RunComparison.Of(
                RunFolder.Read(RunRoot.Resolve(folder, parse.GetValue(a)!), now),
                RunFolder.Read(RunRoot.Resolve(folder, parse.GetValue(b)!), now));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(comparison, CliJsonContext.Default.RunComparison));
                return 0;
            }

            var console = Console(output);
            console.Write(ComparisonTables.Configuration(comparison));
            console.Write(ComparisonTables.Metrics(comparison));
            return 0;
        }));
        return command;
    }

    private static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });

        // A pipe or a file gets whole rows rather than the 80 columns Spectre assumes there.
        if (System.Console.IsOutputRedirected || !ReferenceEquals(output, System.Console.Out))
        {
            console.Profile.Width = Math.Max(console.Profile.Width, 200);
        }

        return console;
    }
}
