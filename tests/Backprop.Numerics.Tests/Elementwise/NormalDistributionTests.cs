using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Elementwise;

/// <summary>
/// The exact GELU rests on two approximations of erf: the kernel's fitted one and the tests' float64 expansions. The
/// expansions are checked against C's erf and erfc (glibc's, correct to an ulp), and the kernel's Φ against them far into
/// the tails, where a relative error is what matters.
/// </summary>
public class NormalDistributionTests
{
    [Theory]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(-1.0, -0.8427007929497149)]
    [InlineData(0.0, 0.0)]
    public void Reference_erf_should_give_the_C_library_values(double x, double erf) =>
        Assert.Equal(erf, NaiveErf.Erf(x), 1e-15);

    [Theory]
    [InlineData(2.9, 4.109787809945886e-05)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(4.0, 1.541725790028002e-08)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(10.0, 2.0884875837625448e-45)]
    public void Reference_erfc_should_give_the_C_library_values_to_full_relative_precision(double x, double erfc) =>
        Assert.True(Math.Abs(NaiveErf.Erfc(x) - erfc) <= 1e-13 * erfc, $"erfc({x}) = {NaiveErf.Erfc(x):R}, C library {erfc:R}");

    [Fact]
    public void Cdf_should_keep_its_relative_accuracy_in_both_tails()
    {
        // Every width of the kernel: a span long enough for 512-bit blocks, then the 256-, 128-bit and scalar tails.
        float[] x = [.. Enumerable.Range(0, 1 + (16 * 60) + 8 + 4 + 3).Select(i => -12f + (i * 0.0242f))];
        var y = new float[x.Length];
        Activation.GeluErf.Forward(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] == 0f)
            {
                continue;
            }

            // y/x is Φ(x): its relative error is the kernel's, the last ulps of the product aside.
            double expected = NaiveErf.NormalCdf(x[i]);
            double relative = Math.Abs((y[i] / (double)x[i]) - expected) / expected;
            // Beyond the fit's own error, the exponent x²/2 is rounded to float (see NormalDistribution).
            double bound = 1e-6 + (1.2e-7 * x[i] * x[i]);
            Assert.True(relative <= bound, $"Φ({x[i]}): {y[i] / (double)x[i]:R} against {expected:R}, relative error {relative:E2}");
        }
    }
}
