using System.CommandLine;
using Backprop.Nn.Data;
using Backprop.Nn.Data.Bpd;
using Backprop.Nn.Settings;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop data</c>: tools for data files; <c>convert</c> writes the memory-mapped <c>.bpd</c> format.</summary>
internal static class DataCommand
{
    public static Command Create() => new("data", "Work with data files.") { Convert() };

    private static Command Convert()
    {
        var input = new Option<string>("--input") { Description = "The data: an IDX folder or file, a CSV file, or builtin:NAME.", Required = true };
        var output = new Option<string>("--output") { Description = "The .bpd file for the training split.", Required = true };
        var testInput = new Option<string?>("--test-input") { Description = "A separate test file, read against the training data (like --test-path)." };
        var testOutput = new Option<string?>("--test-output") { Description = "The .bpd file for the test split; default OUTPUT with .test.bpd, found by the loader beside OUTPUT." };
        var target = new Option<string?>("--target") { Description = "CSV: the column to predict." };
        var task = new Option<TaskKind?>("--task") { Description = "CSV: classification or regression; default decided from the target." };
        var force = new Option<bool>("--force") { Description = "Replace existing output files." };
        var command = new Command(
            "convert",
            "Convert IDX, CSV or builtin data to .bpd files (raw float32 rows, checksummed, memory-mapped when read): " +
            "the training split to --output and the source's test split, if any, beside it.")
        {
            input, output, testInput, testOutput, target, task, force,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            string path = parse.GetValue(output)!;
            string? testPath = parse.GetValue(testOutput);
            foreach (string file in new[] { path, testPath }.OfType<string>())
            {
                if (!file.EndsWith(BpdFormat.Extension, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidSettingException("--output", $"{file} should end in {BpdFormat.Extension}, which is how the loader recognises it.");
                }
            }

            var source = new DataSettings { Path = parse.GetValue(input)!, TestPath = parse.GetValue(testInput), Target = parse.GetValue(target), Task = parse.GetValue(task) };
            bool overwrite = parse.GetValue(force);
            IReadOnlyList<(string Path, Dataset Data)> written;
            try
            {
                written = BpdConverter.Convert(source, path, testPath, overwrite);
            }
            catch (OutputExistsException e)
            {
                throw new InvalidSettingException("--force", $"{e.Message} Pass --force to replace it.");
            }

            foreach (var (file, data) in written)
            {
                string shape = data.Task == TaskKind.Classification ? $"{data.ClassCount} classes" : $"{data.TargetCount} targets";
                parse.InvocationConfiguration.Output.WriteLine($"{file}: {data.Count} rows × {data.FeatureCount} features, {shape}, {new FileInfo(file).Length} bytes");
            }

            return 0;
        }));
        return command;
    }
}
