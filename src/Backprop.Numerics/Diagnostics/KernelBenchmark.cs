using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Diagnostics;

/// <summary>
/// Measures the FMA peak (one thread and all), then every shape on a one-thread engine and on an
/// all-threads engine (their batches interleaved), and reports each against the peak of the same
/// thread count. The peak is
/// measured before and after the GEMMs and the higher kept, so a burst of load elsewhere on a shared
/// host lowers no fraction artificially.
/// </summary>
public static class KernelBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="shapes">The shapes to time.</param>
    /// <param name="threads">The "all threads" count.</param>
    /// <param name="batch">Minimum length of one timed batch.</param>
    /// <param name="progress">Told each row as it is measured; may be null.</param>
    public static KernelBenchmarkReport Run(IReadOnlyList<GemmShape> shapes, int threads, TimeSpan batch, Action<KernelBenchmarkRow>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var trial = batch;
        double peak1 = FmaPeak.MeasureGflops(1, trial);
        double peakAll = threads == 1 ? peak1 : FmaPeak.MeasureGflops(threads, trial);

        var measured = new List<(GemmShape Shape, GemmMeasurement One, GemmMeasurement? All)>();
        using (var one = new GemmEngine(new GemmOptions { Threads = 1 }))
        using (var all = threads > 1 ? new GemmEngine(new GemmOptions { Threads = threads }) : null)
        {
            GemmEngine[] engines = all is null ? [one] : [one, all];
            foreach (var shape in shapes)
            {
                var results = GemmTiming.Measure(engines, shape.Form, shape.M, shape.N, shape.K, batch);
                var single = results[0];
                var multi = all is null ? null : results[1];
                measured.Add((shape, single, multi));
                progress?.Invoke(Row(shape, single, peak1, single));
                if (multi is not null)
                {
                    progress?.Invoke(Row(shape, multi, peakAll, single));
                }
            }
        }

        peak1 = Math.Max(peak1, FmaPeak.MeasureGflops(1, trial));
        if (threads > 1)
        {
            peakAll = Math.Max(peakAll, FmaPeak.MeasureGflops(threads, trial));
        }
        else
        {
            peakAll = peak1;
        }

        var rows = new List<KernelBenchmarkRow>();
        foreach (var (shape, single, multi) in measured)
        {
            rows.Add(Row(shape, single, peak1, single));
            if (multi is not null)
            {
                rows.Add(Row(shape, multi, peakAll, single));
            }
        }

        return new KernelBenchmarkReport(SimdPaths.Best.ToString(), Environment.ProcessorCount, threads, peak1, peakAll, rows);
    }

    private static KernelBenchmarkRow Row(GemmShape shape, GemmMeasurement m, double peak, GemmMeasurement oneThread) => new(
        shape.Label,
        m.M,
        m.N,
        m.K,
        m.Form.ToString(),
        m.Threads,
        m.Gflops,
        m.Gflops / peak,
        m.BestGflops,
        m.SecondsPerCall,
        m.AllocatedBytesPerCall,
        m.Gflops / oneThread.Gflops);
}
