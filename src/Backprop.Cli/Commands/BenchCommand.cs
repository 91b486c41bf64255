using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Cluster.Diagnostics;
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

        var laneJson = new Option<bool>("--json") { Description = "Print one JSON document instead of a table." };
        var laneCount = new Option<int>("--round-trips") { Description = "Round trips per size.", DefaultValueFactory = _ => 300 };
        var lane = new Command("lane", "Round trips of 0.25-4 MB on the tensor lane over loopback, actor to actor, and one-way streaming throughput.")
        {
            laneJson,
            laneCount,
        };
        lane.SetAction(parse => RunLane(parse.InvocationConfiguration.Output, parse.GetValue(laneJson), parse.GetValue(laneCount)));

        return new Command("bench", "Benchmarks of this machine.") { kernels, lane };
    }

    private static int RunLane(TextWriter output, bool json, int roundTrips)
    {
        int[] sizes = [262_144, 524_288, 940_584, 2_097_152, 4_194_304];
        var report = LaneBenchmark.RunAsync(sizes, Math.Max(10, roundTrips)).GetAwaiter().GetResult();
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.LaneBenchmarkReport));
            return 0;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var table = new Table().Title("tensor lane on loopback, actor to actor").AddColumn("bytes each way")
            .AddColumn(new TableColumn("median µs").RightAligned()).AddColumn(new TableColumn("p99 µs").RightAligned()).AddColumn(new TableColumn("GB/s").RightAligned());
        foreach (var row in report.RoundTrips)
        {
            table.AddRow(
                row.Bytes.ToString("N0", CultureInfo.InvariantCulture),
                row.MedianMicros.ToString("F0", CultureInfo.InvariantCulture),
                row.P99Micros.ToString("F0", CultureInfo.InvariantCulture),
                row.GigabytesPerSecond.ToString("F2", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"one-way streaming of 4 MB frames: [bold]{report.StreamGigabytesPerSecond:F2} GB/s[/]; {report.AllocatedBytesPerRoundTrip:N0} bytes allocated per 0.94 MB round trip"));
        return 0;
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
