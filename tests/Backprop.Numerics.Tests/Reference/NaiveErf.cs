namespace Backprop.Numerics.Tests.Reference;

/// <summary>
/// erf, erfc and the standard normal CDF in float64, by textbook expansions rather than the kernel's fitted
/// approximation: near zero the series erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), whose terms are all
/// positive (no cancellation); in the tails the continued fraction erfc(x) = e^(−x²)/√π / (x + ½/(x + 1/(x + 3/2/…))).
/// Both are run far past double precision.
/// </summary>
internal static class NaiveErf
{
    /// <summary>Where the continued fraction takes over from the series.</summary>
    private const double TailFrom = 2;

    /// <summary>erf(x).</summary>
    public static double Erf(double x) => Math.Abs(x) < TailFrom ? Series(x) : Math.CopySign(1 - ContinuedFraction(Math.Abs(x)), x);

    /// <summary>erfc(x) = 1 − erf(x), without cancellation for large x.</summary>
    public static double Erfc(double x) => x >= TailFrom ? ContinuedFraction(x) : 1 - Erf(x);

    /// <summary>Φ(x) = ½·erfc(−x/√2).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>φ(x) = e^(−x²/2)/√(2π).</summary>
    public static double NormalDensity(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    private static double Series(double x)
    {
        double term = x;
        double sum = x;
        for (int n = 1; n < 500 && Math.Abs(term) > 1e-20 * Math.Abs(sum); n++)
        {
            term *= 2 * x * x / ((2 * n) + 1);
            sum += term;
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    private static double ContinuedFraction(double x)
    {
        double f = x;
        for (int k = 400; k >= 1; k--)
        {
            f = x + (k / 2.0 / f);
        }

        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }
}
