using System.CommandLine;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Numerics.Diagnostics;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop bench kernels</c>: the FMA peak of this machine and GEMM against it.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads")
        {
            Description = "Threads of the multi-threaded rows (default: every core).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--threads must be at least 1.");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print one JSON document instead of a table." };
        var quick = new Option<bool>("--quick") { Description = "A few small shapes and short batches: a smoke test, not a measurement." };

        var kernels = new Command("kernels", "Measure the FMA peak, then GEMM for square and MLP shapes in all three forms, on 1 thread and on all.")
        {
            threads,
            json,
            quick,
        };
        kernels.SetAction(parse => RunKernels(parse.InvocationConfiguration.Output, parse.GetValue(threads), parse.GetValue(json), parse.GetValue(quick)));

        return new Command("bench", "Benchmarks of this machine.") { kernels };
    }

    private static int RunKernels(TextWriter output, int threads, bool json, bool quick)
    {
        var shapes = quick ? GemmShape.Quick : GemmShape.Standard;
        var batch = TimeSpan.FromMilliseconds(quick ? 20 : 60);
        if (json)
        {
            var report = KernelBenchmark.Run(shapes, threads, batch);
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.KernelBenchmarkReport));
            return 0;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.MarkupLine($"[bold]Kernel benchmark[/]: {shapes.Count} shapes × 1 and {threads} threads; the FMA peak is measured first and last.");
        var final = KernelBenchmark.Run(shapes, threads, batch, row => console.MarkupLine(KernelBenchmarkTable.ProgressLine(row)));
        console.Write(KernelBenchmarkTable.Render(final));
        return 0;
    }
}
