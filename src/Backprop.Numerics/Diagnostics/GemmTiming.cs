using System.Diagnostics;
using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Diagnostics;

/// <summary>Times GEMM shapes on random operands: warm-up first, then batches of calls, the median batch reported.</summary>
public static class GemmTiming
{
    /// <summary>Measures C = A·B in <paramref name="form"/> with dense leading dimensions.</summary>
    /// <param name="engine">The engine to time.</param>
    /// <param name="form">Which product.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="batch">Minimum length of one timed batch; seven are run.</param>
    public static GemmMeasurement Measure(GemmEngine engine, GemmForm form, int m, int n, int k, TimeSpan batch)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var random = new Random(12345);
        var a = RandomArray(random, m * k);
        var b = RandomArray(random, k * n);
        var c = new float[m * n];

        // Warm-up: tiered compilation, packing buffers, helper threads spun up.
        int calls = 1;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                engine.Multiply(form, m, n, k, a, b, c);
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= batch)
            {
                break;
            }

            double scale = batch.TotalSeconds / Math.Max(elapsed.TotalSeconds, 1e-6);
            calls = (int)Math.Clamp(Math.Ceiling(calls * scale * 1.1), calls * 2L, int.MaxValue / 2);
        }

        var seconds = new double[7];
        long allocated = 0;
        for (int trial = 0; trial < seconds.Length; trial++)
        {
            long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                engine.Multiply(form, m, n, k, a, b, c);
            }

            seconds[trial] = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
            allocated += GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        }

        Array.Sort(seconds);
        double flops = 2.0 * m * n * k;
        double median = seconds[seconds.Length / 2];
        return new GemmMeasurement(
            form, m, n, k, engine.Threads, median, flops / median / 1e9, flops / seconds[0] / 1e9, (double)allocated / (calls * seconds.Length));
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
