using Backprop.Numerics.Diagnostics;
using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Tests.Diagnostics;

public sealed class KernelBenchmarkTests
{
    [Fact]
    public void Benchmark_should_report_each_shape_on_one_and_all_threads_against_the_matching_peak()
    {
        var shapes = new[] { new GemmShape("square", GemmForm.AB, 64, 64, 64), new GemmShape("tall", GemmForm.AtB, 96, 40, 33) };
        var seen = new List<KernelBenchmarkRow>();

        var report = KernelBenchmark.Run(shapes, threads: 2, TimeSpan.FromMilliseconds(2), seen.Add);

        Assert.Equal(4, report.Gemm.Count);
        Assert.Equal(4, seen.Count);
        Assert.Equal([1, 2, 1, 2], report.Gemm.Select(r => r.Threads));
        Assert.Equal(["AB", "AB", "AtB", "AtB"], report.Gemm.Select(r => r.Form));
        foreach (var row in report.Gemm)
        {
            double peak = row.Threads == 1 ? report.PeakGflops1T : report.PeakGflopsAll;
            Assert.Equal(row.Gflops / peak, row.FractionOfPeak, 9);
            Assert.True(row.BestGflops >= row.Gflops);
            Assert.Equal(2.0 * row.M * row.N * row.K / row.SecondsPerCall / 1e9, row.Gflops, 6);
        }

        Assert.Equal(1.0, report.Gemm[0].SpeedupOverOneThread);
        Assert.Equal(report.Gemm[1].Gflops / report.Gemm[0].Gflops, report.Gemm[1].SpeedupOverOneThread, 9);
    }

    [Fact]
    public void Fma_peak_should_be_a_finite_positive_rate_for_one_and_several_threads()
    {
        // Only sanity: how the rates compare is the benchmark's business, not a unit test's, since the
        // test runner and the host share the cores.
        double one = FmaPeak.MeasureGflops(1, TimeSpan.FromMilliseconds(5));
        double two = FmaPeak.MeasureGflops(2, TimeSpan.FromMilliseconds(5));

        Assert.True(double.IsFinite(one) && one > 0, $"one thread: {one} GFLOP/s");
        Assert.True(double.IsFinite(two) && two > 0, $"two threads: {two} GFLOP/s");
    }
}
