using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Diagnostics;

/// <summary>
/// Measures this machine's single-precision FMA peak in-process: twelve independent chains of
/// a ← a·x + y per thread, enough to cover the FMA latency on every current x64 and ARM64 core, so
/// the loop runs at the issue rate. GEMM efficiency is reported against it, measured
/// in the same process and the same minute, because hosts of one kind differ by a third.
/// </summary>
public static class FmaPeak
{
    private const int Chains = 12;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads running FMAs of the widest accelerated width; the best of several trials.</summary>
    /// <param name="threads">Threads running at once, each on its own chains.</param>
    /// <param name="trial">Length of one trial; five are run.</param>
    public static double MeasureGflops(int threads, TimeSpan trial)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int lanes = Lanes();
        long iterations = Calibrate(trial);
        double best = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            double seconds = RunOnThreads(threads, iterations);
            best = Math.Max(best, threads * iterations * Chains * lanes * 2.0 / seconds / 1e9);
        }

        return best;
    }

    private static int Lanes() => SimdPaths.Best switch
    {
        SimdPath.Vector512 => Vector512<float>.Count,
        SimdPath.Vector256 => Vector256<float>.Count,
        SimdPath.Vector128 => Vector128<float>.Count,
        _ => 1,
    };

    private static long Calibrate(TimeSpan trial)
    {
        long iterations = 1 << 16;
        Chain(iterations);
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            Chain(iterations);
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= trial / 4)
            {
                return (long)(iterations * (trial / elapsed));
            }

            iterations *= 4;
        }
    }

    /// <summary>
    /// Seconds from the first thread's start to the last one's end, timed by the threads
    /// themselves: the coordinating thread may be descheduled while they run.
    /// </summary>
    private static double RunOnThreads(int threads, long iterations)
    {
        using var start = new Barrier(threads);
        var begins = new long[threads];
        var ends = new long[threads];
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                begins[index] = Stopwatch.GetTimestamp();
                Chain(iterations);
                ends[index] = Stopwatch.GetTimestamp();
            })
            { IsBackground = true };
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return (double)(ends.Max() - begins.Min()) / Stopwatch.Frequency;
    }

    private static float Chain(long iterations) => SimdPaths.Best switch
    {
        SimdPath.Vector512 => Chain512(iterations),
        SimdPath.Vector256 => Chain256(iterations),
        SimdPath.Vector128 => Chain128(iterations),
        _ => ChainScalar(iterations),
    };

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain512(long iterations)
    {
        var x = Vector512.Create(1.0000001f);
        var y = Vector512.Create(0.9999999f);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector512<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y);
            a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y);
            a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y);
            a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y);
            a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y);
            a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y);
            a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain256(long iterations)
    {
        var x = Vector256.Create(1.0000001f);
        var y = Vector256.Create(0.9999999f);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector256<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.MultiplyAddEstimate(a0, x, y);
            a1 = Vector256.MultiplyAddEstimate(a1, x, y);
            a2 = Vector256.MultiplyAddEstimate(a2, x, y);
            a3 = Vector256.MultiplyAddEstimate(a3, x, y);
            a4 = Vector256.MultiplyAddEstimate(a4, x, y);
            a5 = Vector256.MultiplyAddEstimate(a5, x, y);
            a6 = Vector256.MultiplyAddEstimate(a6, x, y);
            a7 = Vector256.MultiplyAddEstimate(a7, x, y);
            a8 = Vector256.MultiplyAddEstimate(a8, x, y);
            a9 = Vector256.MultiplyAddEstimate(a9, x, y);
            a10 = Vector256.MultiplyAddEstimate(a10, x, y);
            a11 = Vector256.MultiplyAddEstimate(a11, x, y);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain128(long iterations)
    {
        var x = Vector128.Create(1.0000001f);
        var y = Vector128.Create(0.9999999f);
        Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        Vector128<float> a6 = default, a7 = default, a8 = default, a9 = default, a10 = default, a11 = default;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector128.MultiplyAddEstimate(a0, x, y);
            a1 = Vector128.MultiplyAddEstimate(a1, x, y);
            a2 = Vector128.MultiplyAddEstimate(a2, x, y);
            a3 = Vector128.MultiplyAddEstimate(a3, x, y);
            a4 = Vector128.MultiplyAddEstimate(a4, x, y);
            a5 = Vector128.MultiplyAddEstimate(a5, x, y);
            a6 = Vector128.MultiplyAddEstimate(a6, x, y);
            a7 = Vector128.MultiplyAddEstimate(a7, x, y);
            a8 = Vector128.MultiplyAddEstimate(a8, x, y);
            a9 = Vector128.MultiplyAddEstimate(a9, x, y);
            a10 = Vector128.MultiplyAddEstimate(a10, x, y);
            a11 = Vector128.MultiplyAddEstimate(a11, x, y);
        }

        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float ChainScalar(long iterations)
    {
        float x = 1.0000001f, y = 0.9999999f;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = (a0 * x) + y;
            a1 = (a1 * x) + y;
            a2 = (a2 * x) + y;
            a3 = (a3 * x) + y;
            a4 = (a4 * x) + y;
            a5 = (a5 * x) + y;
            a6 = (a6 * x) + y;
            a7 = (a7 * x) + y;
            a8 = (a8 * x) + y;
            a9 = (a9 * x) + y;
            a10 = (a10 * x) + y;
            a11 = (a11 * x) + y;
        }

        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }
}
