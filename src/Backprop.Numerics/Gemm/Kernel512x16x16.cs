using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// The AVX-512 micro-kernel for narrow products (n ≤ 16, such as a classifier's output layer): 16 rows ×
/// 1 zmm = 16 accumulators. With the 32-wide kernel a 10-class layer would waste 22 of every 32 columns;
/// here it wastes 6 of 16.
/// </summary>
internal readonly struct Kernel512x16x16 : IMicroKernel
{
    public static int Mr => 16;

    public static int Nr => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, c10 = default, c11 = default;
        Vector512<float> c12 = default, c13 = default, c14 = default, c15 = default;

        // The tile of C is touched only after the k loop; fetching it now hides a trip to L3 or DRAM.
        for (int i = 0; i < 16; i++)
        {
            Sse.Prefetch0(c + (i * ldc));
        }

        // Unrolled by two: the loop counter and branch are then a thirty-second of the FMA issue slots.
        int p = 0;
        for (; p + 2 <= kc; p += 2)
        {
            {
                var b0 = Vector512.Load(b);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
                c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
                c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
                c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a[8]), b0, c8);
                c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a[9]), b0, c9);
                c10 = Vector512.FusedMultiplyAdd(Vector512.Create(a[10]), b0, c10);
                c11 = Vector512.FusedMultiplyAdd(Vector512.Create(a[11]), b0, c11);
                c12 = Vector512.FusedMultiplyAdd(Vector512.Create(a[12]), b0, c12);
                c13 = Vector512.FusedMultiplyAdd(Vector512.Create(a[13]), b0, c13);
                c14 = Vector512.FusedMultiplyAdd(Vector512.Create(a[14]), b0, c14);
                c15 = Vector512.FusedMultiplyAdd(Vector512.Create(a[15]), b0, c15);
            }

            {
                var b0 = Vector512.Load(b + 16);
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[16]), b0, c0);
                c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[17]), b0, c1);
                c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[18]), b0, c2);
                c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[19]), b0, c3);
                c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[20]), b0, c4);
                c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[21]), b0, c5);
                c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[22]), b0, c6);
                c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[23]), b0, c7);
                c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a[24]), b0, c8);
                c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a[25]), b0, c9);
                c10 = Vector512.FusedMultiplyAdd(Vector512.Create(a[26]), b0, c10);
                c11 = Vector512.FusedMultiplyAdd(Vector512.Create(a[27]), b0, c11);
                c12 = Vector512.FusedMultiplyAdd(Vector512.Create(a[28]), b0, c12);
                c13 = Vector512.FusedMultiplyAdd(Vector512.Create(a[29]), b0, c13);
                c14 = Vector512.FusedMultiplyAdd(Vector512.Create(a[30]), b0, c14);
                c15 = Vector512.FusedMultiplyAdd(Vector512.Create(a[31]), b0, c15);
            }

            a += 32;
            b += 32;
        }

        for (; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a[8]), b0, c8);
            c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a[9]), b0, c9);
            c10 = Vector512.FusedMultiplyAdd(Vector512.Create(a[10]), b0, c10);
            c11 = Vector512.FusedMultiplyAdd(Vector512.Create(a[11]), b0, c11);
            c12 = Vector512.FusedMultiplyAdd(Vector512.Create(a[12]), b0, c12);
            c13 = Vector512.FusedMultiplyAdd(Vector512.Create(a[13]), b0, c13);
            c14 = Vector512.FusedMultiplyAdd(Vector512.Create(a[14]), b0, c14);
            c15 = Vector512.FusedMultiplyAdd(Vector512.Create(a[15]), b0, c15);
            a += 16;
            b += 16;
        }

        var va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(va * c0, c);
            Vector512.Store(va * c1, c + (1 * ldc));
            Vector512.Store(va * c2, c + (2 * ldc));
            Vector512.Store(va * c3, c + (3 * ldc));
            Vector512.Store(va * c4, c + (4 * ldc));
            Vector512.Store(va * c5, c + (5 * ldc));
            Vector512.Store(va * c6, c + (6 * ldc));
            Vector512.Store(va * c7, c + (7 * ldc));
            Vector512.Store(va * c8, c + (8 * ldc));
            Vector512.Store(va * c9, c + (9 * ldc));
            Vector512.Store(va * c10, c + (10 * ldc));
            Vector512.Store(va * c11, c + (11 * ldc));
            Vector512.Store(va * c12, c + (12 * ldc));
            Vector512.Store(va * c13, c + (13 * ldc));
            Vector512.Store(va * c14, c + (14 * ldc));
            Vector512.Store(va * c15, c + (15 * ldc));
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c0, vb * Vector512.Load(c)), c);
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c1, vb * Vector512.Load(c + (1 * ldc))), c + (1 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c2, vb * Vector512.Load(c + (2 * ldc))), c + (2 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c3, vb * Vector512.Load(c + (3 * ldc))), c + (3 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c4, vb * Vector512.Load(c + (4 * ldc))), c + (4 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c5, vb * Vector512.Load(c + (5 * ldc))), c + (5 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c6, vb * Vector512.Load(c + (6 * ldc))), c + (6 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c7, vb * Vector512.Load(c + (7 * ldc))), c + (7 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c8, vb * Vector512.Load(c + (8 * ldc))), c + (8 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c9, vb * Vector512.Load(c + (9 * ldc))), c + (9 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c10, vb * Vector512.Load(c + (10 * ldc))), c + (10 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c11, vb * Vector512.Load(c + (11 * ldc))), c + (11 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c12, vb * Vector512.Load(c + (12 * ldc))), c + (12 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c13, vb * Vector512.Load(c + (13 * ldc))), c + (13 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c14, vb * Vector512.Load(c + (14 * ldc))), c + (14 * ldc));
            Vector512.Store(Vector512.FusedMultiplyAdd(va, c15, vb * Vector512.Load(c + (15 * ldc))), c + (15 * ldc));
        }
    }
}
