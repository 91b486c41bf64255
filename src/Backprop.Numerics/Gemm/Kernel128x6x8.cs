using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// The 128-bit micro-kernel (SSE on x64, AdvSimd on ARM64): 6 rows × 2 vectors = 12 accumulators.
/// MultiplyAddEstimate fuses where the CPU has FMA and falls back to multiply-add where it has not.
/// </summary>
internal readonly struct Kernel128x6x8 : IMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector128<float> c00 = default, c01 = default;
        Vector128<float> c10 = default, c11 = default;
        Vector128<float> c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default;
        Vector128<float> c40 = default, c41 = default;
        Vector128<float> c50 = default, c51 = default;

        // The tile of C is touched only after the k loop; fetching it now hides a trip to L3 or DRAM
        // behind the FMAs instead of stalling the stores at the end.
        if (Sse.IsSupported)
        {
            for (int i = 0; i < 6; i++)
            {
                Sse.Prefetch0(c + (i * ldc));
            }
        }

        // Unrolled by four: the loop counter and branch are then a sixteenth of the FMA issue slots.
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            {
                var b0 = Vector128.Load(b);
                var b1 = Vector128.Load(b + 4);
                var a0 = Vector128.Create(a[0]);
                c00 = Vector128.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector128.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Vector128.Create(a[1]);
                c10 = Vector128.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(a1, b1, c11);
                var a2 = Vector128.Create(a[2]);
                c20 = Vector128.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector128.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector128.Create(a[3]);
                c30 = Vector128.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector128.MultiplyAddEstimate(a3, b1, c31);
                var a4 = Vector128.Create(a[4]);
                c40 = Vector128.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector128.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector128.Create(a[5]);
                c50 = Vector128.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector128.MultiplyAddEstimate(a5, b1, c51);
            }
            {
                var b0 = Vector128.Load(b + 8);
                var b1 = Vector128.Load(b + 12);
                var a0 = Vector128.Create(a[6]);
                c00 = Vector128.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector128.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Vector128.Create(a[7]);
                c10 = Vector128.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(a1, b1, c11);
                var a2 = Vector128.Create(a[8]);
                c20 = Vector128.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector128.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector128.Create(a[9]);
                c30 = Vector128.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector128.MultiplyAddEstimate(a3, b1, c31);
                var a4 = Vector128.Create(a[10]);
                c40 = Vector128.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector128.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector128.Create(a[11]);
                c50 = Vector128.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector128.MultiplyAddEstimate(a5, b1, c51);
            }
            {
                var b0 = Vector128.Load(b + 16);
                var b1 = Vector128.Load(b + 20);
                var a0 = Vector128.Create(a[12]);
                c00 = Vector128.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector128.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Vector128.Create(a[13]);
                c10 = Vector128.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(a1, b1, c11);
                var a2 = Vector128.Create(a[14]);
                c20 = Vector128.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector128.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector128.Create(a[15]);
                c30 = Vector128.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector128.MultiplyAddEstimate(a3, b1, c31);
                var a4 = Vector128.Create(a[16]);
                c40 = Vector128.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector128.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector128.Create(a[17]);
                c50 = Vector128.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector128.MultiplyAddEstimate(a5, b1, c51);
            }
            {
                var b0 = Vector128.Load(b + 24);
                var b1 = Vector128.Load(b + 28);
                var a0 = Vector128.Create(a[18]);
                c00 = Vector128.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector128.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Vector128.Create(a[19]);
                c10 = Vector128.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(a1, b1, c11);
                var a2 = Vector128.Create(a[20]);
                c20 = Vector128.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector128.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector128.Create(a[21]);
                c30 = Vector128.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector128.MultiplyAddEstimate(a3, b1, c31);
                var a4 = Vector128.Create(a[22]);
                c40 = Vector128.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector128.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector128.Create(a[23]);
                c50 = Vector128.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector128.MultiplyAddEstimate(a5, b1, c51);
            }

            a += 24;
            b += 32;
        }

        for (; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]);
            c00 = Vector128.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector128.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector128.Create(a[1]);
            c10 = Vector128.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector128.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector128.Create(a[2]);
            c20 = Vector128.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector128.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector128.Create(a[3]);
            c30 = Vector128.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector128.MultiplyAddEstimate(a3, b1, c31);
            var a4 = Vector128.Create(a[4]);
            c40 = Vector128.MultiplyAddEstimate(a4, b0, c40);
            c41 = Vector128.MultiplyAddEstimate(a4, b1, c41);
            var a5 = Vector128.Create(a[5]);
            c50 = Vector128.MultiplyAddEstimate(a5, b0, c50);
            c51 = Vector128.MultiplyAddEstimate(a5, b1, c51);
            a += 6;
            b += 8;
        }

        var va = Vector128.Create(alpha);
        if (beta == 0f)
        {
            Vector128.Store(va * c00, c);
            Vector128.Store(va * c01, c + 4);
            Vector128.Store(va * c10, c + 1 * ldc);
            Vector128.Store(va * c11, c + 1 * ldc + 4);
            Vector128.Store(va * c20, c + 2 * ldc);
            Vector128.Store(va * c21, c + 2 * ldc + 4);
            Vector128.Store(va * c30, c + 3 * ldc);
            Vector128.Store(va * c31, c + 3 * ldc + 4);
            Vector128.Store(va * c40, c + 4 * ldc);
            Vector128.Store(va * c41, c + 4 * ldc + 4);
            Vector128.Store(va * c50, c + 5 * ldc);
            Vector128.Store(va * c51, c + 5 * ldc + 4);
        }
        else
        {
            var vb = Vector128.Create(beta);
            float* r0 = c;
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c00, vb * Vector128.Load(r0)), r0);
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c01, vb * Vector128.Load(r0 + 4)), r0 + 4);
            float* r1 = c + 1 * ldc;
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c10, vb * Vector128.Load(r1)), r1);
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c11, vb * Vector128.Load(r1 + 4)), r1 + 4);
            float* r2 = c + 2 * ldc;
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c20, vb * Vector128.Load(r2)), r2);
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c21, vb * Vector128.Load(r2 + 4)), r2 + 4);
            float* r3 = c + 3 * ldc;
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c30, vb * Vector128.Load(r3)), r3);
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c31, vb * Vector128.Load(r3 + 4)), r3 + 4);
            float* r4 = c + 4 * ldc;
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c40, vb * Vector128.Load(r4)), r4);
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c41, vb * Vector128.Load(r4 + 4)), r4 + 4);
            float* r5 = c + 5 * ldc;
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c50, vb * Vector128.Load(r5)), r5);
            Vector128.Store(Vector128.MultiplyAddEstimate(va, c51, vb * Vector128.Load(r5 + 4)), r5 + 4);
        }
    }
}
