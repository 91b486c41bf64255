namespace Backprop.Numerics.Tests.Gemm;

/// <summary>
/// The tolerance of every GEMM test, in one place: a float32 sum of k products, each rounded, is
/// within (k + 2)·u·Σ|terms| of the exact value (u = 2⁻²⁴, plus the α and β roundings), whatever the
/// summation order. Σ|terms| is what scales it, so large outputs get a wider band and cancellation
/// does not make a correct result fail; a dropped or doubled term of magnitude ≥ 0.05² still shows.
/// </summary>
internal static class GemmTolerance
{
    private const double UnitRoundoff = 1.0 / (1 << 24);

    public static double Of(int k, double sumOfMagnitudes) => ((k + 4) * UnitRoundoff * sumOfMagnitudes) + 1e-30;
}
