using System.Diagnostics;
using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Diagnostics;

/// <summary>
/// Times GEMM shapes on random operands: each engine warmed up first, then batches of calls, the
/// engines' batches interleaved so that a burst of load on a shared host lands on all of them
/// alike, and the median batch reported.
/// </summary>
public static class GemmTiming
{
    private const int Trials = 7;

    /// <summary>Measures C = op(A)·op(B) in <paramref name="form"/> with dense leading dimensions on each engine.</summary>
    /// <param name="engines">The engines to time, one result each, in order.</param>
    /// <param name="form">Which product.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="batch">Minimum length of one timed batch; seven are run per engine.</param>
    public static IReadOnlyList<GemmMeasurement> Measure(IReadOnlyList<GemmEngine> engines, GemmForm form, int m, int n, int k, TimeSpan batch)
    {
        ArgumentNullException.ThrowIfNull(engines);
        var random = new Random(12345);
        var a = RandomArray(random, m * k);
        var b = RandomArray(random, k * n);
        var c = new float[m * n];

        var calls = new int[engines.Count];
        for (int e = 0; e < engines.Count; e++)
        {
            calls[e] = CallsPerBatch(engines[e], form, m, n, k, a, b, c, batch);
        }

        var seconds = new double[engines.Count][];
        var allocated = new long[engines.Count];
        for (int e = 0; e < engines.Count; e++)
        {
            seconds[e] = new double[Trials];
        }

        for (int trial = 0; trial < Trials; trial++)
        {
            for (int e = 0; e < engines.Count; e++)
            {
                long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
                seconds[e][trial] = TimeBatch(engines[e], form, m, n, k, a, b, c, calls[e]) / calls[e];
                allocated[e] += GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
            }
        }

        double flops = 2.0 * m * n * k;
        var results = new GemmMeasurement[engines.Count];
        for (int e = 0; e < engines.Count; e++)
        {
            Array.Sort(seconds[e]);
            double median = seconds[e][Trials / 2];
            results[e] = new GemmMeasurement(
                form, m, n, k, engines[e].Threads, median, flops / median / 1e9, flops / seconds[e][0] / 1e9, (double)allocated[e] / (calls[e] * Trials));
        }

        return results;
    }

    /// <summary>Warms the engine up (tiered compilation, packing buffers, helper threads) and sizes a batch.</summary>
    private static int CallsPerBatch(GemmEngine engine, GemmForm form, int m, int n, int k, float[] a, float[] b, float[] c, TimeSpan batch)
    {
        int calls = 1;
        while (true)
        {
            double elapsed = TimeBatch(engine, form, m, n, k, a, b, c, calls);
            if (elapsed >= batch.TotalSeconds)
            {
                return calls;
            }

            double scale = batch.TotalSeconds / Math.Max(elapsed, 1e-6);
            calls = (int)Math.Clamp(Math.Ceiling(calls * scale * 1.1), calls * 2L, int.MaxValue / 2);
        }
    }

    private static double TimeBatch(GemmEngine engine, GemmForm form, int m, int n, int k, float[] a, float[] b, float[] c, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            engine.Multiply(form, m, n, k, a, b, c);
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static float[] RandomArray(Random random, int length)
    {
        var data = new float[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = random.NextSingle() - 0.5f;
        }

        return data;
    }
}
