using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// The AVX2/FMA micro-kernel: 6 rows × 2 ymm = 12 accumulators, so that with the 2 B vectors and the
/// broadcast all 15 live values fit the 16 ymm registers of a CPU without AVX-512.
/// </summary>
internal readonly struct Kernel256x6x16 : IMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;

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
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var a0 = Vector256.Create(a[0]);
                c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Vector256.Create(a[1]);
                c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
                var a2 = Vector256.Create(a[2]);
                c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector256.Create(a[3]);
                c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
                var a4 = Vector256.Create(a[4]);
                c40 = Vector256.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector256.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector256.Create(a[5]);
                c50 = Vector256.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector256.MultiplyAddEstimate(a5, b1, c51);
            }
            {
                var b0 = Vector256.Load(b + 16);
                var b1 = Vector256.Load(b + 24);
                var a0 = Vector256.Create(a[6]);
                c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Vector256.Create(a[7]);
                c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
                var a2 = Vector256.Create(a[8]);
                c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector256.Create(a[9]);
                c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
                var a4 = Vector256.Create(a[10]);
                c40 = Vector256.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector256.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector256.Create(a[11]);
                c50 = Vector256.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector256.MultiplyAddEstimate(a5, b1, c51);
            }
            {
                var b0 = Vector256.Load(b + 32);
                var b1 = Vector256.Load(b + 40);
                var a0 = Vector256.Create(a[12]);
                c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Vector256.Create(a[13]);
                c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
                var a2 = Vector256.Create(a[14]);
                c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector256.Create(a[15]);
                c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
                var a4 = Vector256.Create(a[16]);
                c40 = Vector256.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector256.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector256.Create(a[17]);
                c50 = Vector256.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector256.MultiplyAddEstimate(a5, b1, c51);
            }
            {
                var b0 = Vector256.Load(b + 48);
                var b1 = Vector256.Load(b + 56);
                var a0 = Vector256.Create(a[18]);
                c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
                c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
                var a1 = Vector256.Create(a[19]);
                c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
                c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
                var a2 = Vector256.Create(a[20]);
                c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
                c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
                var a3 = Vector256.Create(a[21]);
                c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
                c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
                var a4 = Vector256.Create(a[22]);
                c40 = Vector256.MultiplyAddEstimate(a4, b0, c40);
                c41 = Vector256.MultiplyAddEstimate(a4, b1, c41);
                var a5 = Vector256.Create(a[23]);
                c50 = Vector256.MultiplyAddEstimate(a5, b0, c50);
                c51 = Vector256.MultiplyAddEstimate(a5, b1, c51);
            }

            a += 24;
            b += 64;
        }

        for (; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Vector256.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Vector256.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Vector256.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Vector256.MultiplyAddEstimate(a4, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Vector256.MultiplyAddEstimate(a5, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(a5, b1, c51);
            a += 6;
            b += 16;
        }

        var va = Vector256.Create(alpha);
        if (beta == 0f)
        {
            Vector256.Store(va * c00, c);
            Vector256.Store(va * c01, c + 8);
            Vector256.Store(va * c10, c + 1 * ldc);
            Vector256.Store(va * c11, c + 1 * ldc + 8);
            Vector256.Store(va * c20, c + 2 * ldc);
            Vector256.Store(va * c21, c + 2 * ldc + 8);
            Vector256.Store(va * c30, c + 3 * ldc);
            Vector256.Store(va * c31, c + 3 * ldc + 8);
            Vector256.Store(va * c40, c + 4 * ldc);
            Vector256.Store(va * c41, c + 4 * ldc + 8);
            Vector256.Store(va * c50, c + 5 * ldc);
            Vector256.Store(va * c51, c + 5 * ldc + 8);
        }
        else
        {
            var vb = Vector256.Create(beta);
            float* r0 = c;
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c00, vb * Vector256.Load(r0)), r0);
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c01, vb * Vector256.Load(r0 + 8)), r0 + 8);
            float* r1 = c + 1 * ldc;
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c10, vb * Vector256.Load(r1)), r1);
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c11, vb * Vector256.Load(r1 + 8)), r1 + 8);
            float* r2 = c + 2 * ldc;
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c20, vb * Vector256.Load(r2)), r2);
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c21, vb * Vector256.Load(r2 + 8)), r2 + 8);
            float* r3 = c + 3 * ldc;
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c30, vb * Vector256.Load(r3)), r3);
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c31, vb * Vector256.Load(r3 + 8)), r3 + 8);
            float* r4 = c + 4 * ldc;
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c40, vb * Vector256.Load(r4)), r4);
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c41, vb * Vector256.Load(r4 + 8)), r4 + 8);
            float* r5 = c + 5 * ldc;
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c50, vb * Vector256.Load(r5)), r5);
            Vector256.Store(Vector256.MultiplyAddEstimate(va, c51, vb * Vector256.Load(r5 + 8)), r5 + 8);
        }
    }
}
