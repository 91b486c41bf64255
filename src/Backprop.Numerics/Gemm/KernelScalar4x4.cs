using System.Runtime.CompilerServices;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// The scalar micro-kernel, 4×4: the path for CPUs with no SIMD and the plainest statement of what
/// every vector kernel computes.
/// </summary>
internal readonly struct KernelScalar4x4 : IMicroKernel
{
    public static int Mr => 4;

    public static int Nr => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            a += 4;
            b += 4;
        }

        Store(c, alpha, beta, c00, c01, c02, c03);
        Store(c + ldc, alpha, beta, c10, c11, c12, c13);
        Store(c + (2 * ldc), alpha, beta, c20, c21, c22, c23);
        Store(c + (3 * ldc), alpha, beta, c30, c31, c32, c33);
    }

    private static unsafe void Store(float* row, float alpha, float beta, float x0, float x1, float x2, float x3)
    {
        if (beta == 0f)
        {
            row[0] = alpha * x0;
            row[1] = alpha * x1;
            row[2] = alpha * x2;
            row[3] = alpha * x3;
        }
        else
        {
            row[0] = (alpha * x0) + (beta * row[0]);
            row[1] = (alpha * x1) + (beta * row[1]);
            row[2] = (alpha * x2) + (beta * row[2]);
            row[3] = (alpha * x3) + (beta * row[3]);
        }
    }
}
