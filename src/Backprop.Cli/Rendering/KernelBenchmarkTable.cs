using System.Globalization;
using Backprop.Numerics.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Rendering;

/// <summary>The kernel benchmark as a console table.</summary>
internal static class KernelBenchmarkTable
{
    public static string ProgressLine(KernelBenchmarkRow row) => Markup.Escape(string.Create(
        CultureInfo.InvariantCulture,
        $"  {row.Label,-30} {row.Form,-3} {row.M,5}×{row.N,-5} k={row.K,-5} {row.Threads} thr  {row.Gflops,7:F1} GFLOP/s"));

    public static IRenderable Render(KernelBenchmarkReport report)
    {
        var table = new Table()
            .Title(string.Create(
                CultureInfo.InvariantCulture,
                $"{report.SimdPath}, FMA peak {report.PeakGflops1T:F1} GFLOP/s on 1 thread, {report.PeakGflopsAll:F1} on {report.ThreadsAll}"))
            .AddColumn("shape")
            .AddColumn("form")
            .AddColumn(new TableColumn("m×n×k").RightAligned())
            .AddColumn(new TableColumn("threads").RightAligned())
            .AddColumn(new TableColumn("GFLOP/s").RightAligned())
            .AddColumn(new TableColumn("of peak").RightAligned())
            .AddColumn(new TableColumn("× 1 thread").RightAligned())
            .AddColumn(new TableColumn("bytes/call").RightAligned());
        foreach (var row in report.Gemm)
        {
            table.AddRow(
                Markup.Escape(row.Label),
                row.Form,
                $"{row.M}×{row.N}×{row.K}",
                row.Threads.ToString(CultureInfo.InvariantCulture),
                row.Gflops.ToString("F1", CultureInfo.InvariantCulture),
                row.FractionOfPeak.ToString("P1", CultureInfo.InvariantCulture),
                row.SpeedupOverOneThread.ToString("F2", CultureInfo.InvariantCulture),
                row.AllocatedBytesPerCall.ToString("F0", CultureInfo.InvariantCulture));
        }

        return table;
    }
}
