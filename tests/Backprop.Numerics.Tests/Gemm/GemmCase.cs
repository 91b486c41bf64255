using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Gemm;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Gemm;

/// <summary>
/// One product on random operands, stored with padded leading dimensions, run on an engine and
/// checked element by element against <see cref="NaiveGemm"/>.
/// </summary>
internal sealed class GemmCase
{
    private const float Sentinel = 12345.5f;

    public GemmCase(GemmForm form, int m, int n, int k, int seed, int pad = 3)
    {
        Form = form;
        M = m;
        N = n;
        K = k;
        Seed = seed;
        var random = new Random(seed);
        var (aRows, aCols) = form == GemmForm.AtB ? (k, m) : (m, k);
        var (bRows, bCols) = form == GemmForm.ABt ? (n, k) : (k, n);
        Lda = aCols + pad;
        Ldb = bCols + pad;
        Ldc = n + pad;
        A = RandomMatrix(random, aRows, Lda);
        B = RandomMatrix(random, bRows, Ldb);
        C = RandomMatrix(random, m, Ldc);
        Bias = RandomMatrix(random, 1, n);
        for (int i = 0; i < m; i++)
        {
            C.AsSpan((i * Ldc) + n, pad).Fill(Sentinel);
        }
    }

    public GemmForm Form { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public int Seed { get; }

    public int Lda { get; }

    public int Ldb { get; }

    public int Ldc { get; }

    public float[] A { get; }

    public float[] B { get; }

    public float[] C { get; }

    public float[] Bias { get; }

    public override string ToString() => $"{Form} m={M} n={N} k={K} seed={Seed}";

    /// <summary>Runs the product on <paramref name="engine"/> and asserts every element against float64.</summary>
    public void RunAndCheck(GemmEngine engine, float alpha, float beta, bool withBias = false, Activation? activation = null)
    {
        var before = (float[])C.Clone();
        var (expected, magnitude) = NaiveGemm.Compute(
            Form, M, N, K, alpha, A, Lda, B, Ldb, beta, before, Ldc, withBias ? Bias : null, activation);

        engine.Compute(Form, M, N, K, alpha, A, Lda, B, Ldb, beta, C, Ldc, withBias ? Bias : default, activation ?? Activation.Identity);

        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double want = expected[(i * N) + j];
                float got = C[(i * Ldc) + j];
                double tolerance = GemmTolerance.Of(K, magnitude[(i * N) + j]);
                if (!(Math.Abs(got - want) <= tolerance))
                {
                    Assert.Fail($"{this} path={engine.Path} threads={engine.Threads} alpha={alpha} beta={beta}: C[{i},{j}] = {got}, float64 reference {want}, tolerance {tolerance:G3}.");
                }
            }

            for (int j = N; j < Ldc; j++)
            {
                Assert.True(C[(i * Ldc) + j] == Sentinel, $"{this}: padding C[{i},{j}] beyond n was written.");
            }
        }
    }

    private static float[] RandomMatrix(Random random, int rows, int ld)
    {
        // Uniform in ±1 away from zero so that no term vanishes and a dropped one shows.
        var data = new float[Math.Max(1, rows * ld)];
        for (int i = 0; i < data.Length; i++)
        {
            float magnitude = 0.05f + (0.95f * random.NextSingle());
            data[i] = random.Next(2) == 0 ? magnitude : -magnitude;
        }

        return data;
    }
}
