using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Backprop.Numerics.Elementwise;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// The five blocking loops of a BLIS-style GEMM around one micro-kernel: for each NC-wide panel of
/// B and each KC-deep slice, pack B once; for each MC-tall block of A, pack it and sweep the
/// micro-kernel over the tiles, B's KC×NR sliver outermost so it stays in L1.
/// </summary>
internal static unsafe class GemmDriver<TKernel>
    where TKernel : struct, IMicroKernel
{
    /// <summary>Computes the whole of <paramref name="problem"/> on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem problem, GemmBlocking blocking, PackingBuffers buffers)
    {
        int mr = TKernel.Mr;
        int nr = TKernel.Nr;
        int m = problem.M;
        int n = problem.N;
        int k = problem.K;
        var sizes = BlockSizes(problem, blocking);
        var (aFloats, bFloats) = BufferSizes(sizes);
        buffers.Ensure(aFloats, bFloats);
        float* edge = stackalloc float[TKernel.Mr * TKernel.Nr];
        float* packedA = buffers.A;
        float* packedB = buffers.B;

        for (int jc = 0; jc < n; jc += sizes.Nc)
        {
            int nc = Math.Min(sizes.Nc, n - jc);
            for (int pc = 0; pc < k; pc += sizes.Kc)
            {
                int kc = Math.Min(sizes.Kc, k - pc);
                float beta = pc == 0 ? problem.Beta : 1f;
                bool last = pc + kc == k;

                PackB(problem, pc, jc, kc, nc, packedB);

                for (int ic = 0; ic < m; ic += sizes.Mc)
                {
                    int mc = Math.Min(sizes.Mc, m - ic);
                    PackA(problem, ic, pc, mc, kc, packedA);

                    // B's KC×NR sliver outermost: it stays in L1 while the kernel walks down the A block.
                    float* cBlock = problem.C + (ic * problem.Ldc) + jc;
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        float* b = packedB + ((nint)jr * kc);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            float* a = packedA + ((nint)ir * kc);
                            float* c = cBlock + (ir * problem.Ldc) + jr;
                            if (rows == mr && cols == nr)
                            {
                                TKernel.Run(kc, a, b, c, problem.Ldc, problem.Alpha, beta);
                            }
                            else
                            {
                                TKernel.Run(kc, a, b, edge, nr, problem.Alpha, 0f);
                                MergeEdge(edge, nr, c, problem.Ldc, rows, cols, beta);
                            }
                        }
                    }

                    if (last && problem.HasEpilogue)
                    {
                        ApplyEpilogue(problem, cBlock, mc, nc, jc);
                    }
                }
            }
        }
    }

    private static (long A, long B) BufferSizes(GemmBlocking sizes) =>
        ((long)RoundUp(sizes.Mc, TKernel.Mr) * sizes.Kc, (long)RoundUp(sizes.Nc, TKernel.Nr) * sizes.Kc);

    /// <summary>C = β·C for k = 0, then the epilogue: what the loops above cannot express.</summary>
    public static void RunEmptyDepth(in GemmProblem problem)
    {
        for (int i = 0; i < problem.M; i++)
        {
            var row = new Span<float>(problem.C + (i * problem.Ldc), problem.N);
            if (problem.Beta == 0f)
            {
                row.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(row, problem.Beta, row);
            }
        }

        if (problem.HasEpilogue)
        {
            ApplyEpilogue(problem, problem.C, problem.M, problem.N, 0);
        }
    }

    private static GemmBlocking BlockSizes(in GemmProblem problem, GemmBlocking blocking)
    {
        // Equal blocks rather than full blocks and a sliver: 784 deep is 4×196 (rounded to 200), not 3×256 + 16.
        int kc = BalancedBlock(problem.K, blocking.Kc, 8);
        int mc = BalancedBlock(problem.M, Math.Max(TKernel.Mr, blocking.Mc / TKernel.Mr * TKernel.Mr), TKernel.Mr);
        int nc = BalancedBlock(problem.N, Math.Max(TKernel.Nr, blocking.Nc / TKernel.Nr * TKernel.Nr), TKernel.Nr);
        return new GemmBlocking(mc, kc, nc);
    }

    private static void PackA(in GemmProblem p, int ic, int pc, int mc, int kc, float* dst)
    {
        if (p.Form == GemmForm.AtB)
        {
            Packing.PackContiguous(p.A + (pc * p.Lda) + ic, p.Lda, mc, kc, TKernel.Mr, dst);
        }
        else
        {
            Packing.PackTransposed(p.A + (ic * p.Lda) + pc, p.Lda, mc, kc, TKernel.Mr, dst);
        }
    }

    private static void PackB(in GemmProblem p, int pc, int jc, int kc, int nc, float* dst)
    {
        if (p.Form == GemmForm.ABt)
        {
            Packing.PackTransposed(p.B + (jc * p.Ldb) + pc, p.Ldb, nc, kc, TKernel.Nr, dst);
        }
        else
        {
            Packing.PackContiguous(p.B + (pc * p.Ldb) + jc, p.Ldb, nc, kc, TKernel.Nr, dst);
        }
    }

    private static void MergeEdge(float* tile, nint ldt, float* c, nint ldc, int rows, int cols, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + (i * ldt);
            float* ci = c + (i * ldc);
            for (int j = 0; j < cols; j++)
            {
                ci[j] = beta == 0f ? t[j] : t[j] + (beta * ci[j]);
            }
        }
    }

    /// <summary>Bias and activation over a finished block of C, row by row while it is still in cache.</summary>
    private static void ApplyEpilogue(in GemmProblem p, float* cRows, int rows, int cols, int jc)
    {
        var bias = p.Bias == null ? default : new ReadOnlySpan<float>(p.Bias + jc, cols);
        for (int i = 0; i < rows; i++)
        {
            var row = new Span<float>(cRows + (i * p.Ldc), cols);
            if (!bias.IsEmpty)
            {
                TensorPrimitives.Add(row, bias, row);
            }

            if (p.Activation.Kind != ActivationKind.Identity)
            {
                p.Activation.Forward(row, row);
            }
        }
    }

    private static int BalancedBlock(int extent, int maxBlock, int multiple)
    {
        if (extent <= maxBlock)
        {
            return Math.Max(extent, 1);
        }

        int blocks = (extent + maxBlock - 1) / maxBlock;
        return Math.Min(maxBlock, RoundUp((extent + blocks - 1) / blocks, multiple));
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
