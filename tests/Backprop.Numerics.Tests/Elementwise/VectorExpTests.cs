using System.Runtime.Intrinsics;
using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Elementwise;

/// <summary>
/// The inlined float exp behind softmax, GELU and the losses, at every width (the widths run in software where the
/// CPU lacks them, so all three are checked on any machine).
/// </summary>
public class VectorExpTests
{
    private const int Seed = 20250308;

    [Fact]
    public void Exp_should_be_within_two_ulps_over_the_whole_normal_range_at_every_width()
    {
        var random = new RandomData(Seed);
        var x = new float[16 * 4096];
        for (int i = 0; i < x.Length; i++)
        {
            // Half uniform over the whole range, half near 0 where the relative accuracy of r matters most.
            x[i] = i % 2 == 0 ? random.Next(VectorExp.MinInput, VectorExp.MaxInput) : random.Next(-1f, 1f);
        }

        double worst = 0;
        for (int i = 0; i < x.Length; i += 16)
        {
            var v512 = VectorExp.Exp(Vector512.Create(x.AsSpan(i, 16)));
            var v256 = VectorExp.Exp(Vector256.Create(x.AsSpan(i, 8)));
            var v128 = VectorExp.Exp(Vector128.Create(x.AsSpan(i, 4)));
            for (int lane = 0; lane < 16; lane++)
            {
                double expected = Math.Exp(x[i + lane]);
                float rounded = (float)expected;
                double ulp = (double)MathF.BitIncrement(rounded) - rounded;
                worst = Math.Max(worst, Math.Abs(v512[lane] - expected) / ulp);
                if (lane < 8)
                {
                    worst = Math.Max(worst, Math.Abs(v256[lane] - expected) / ulp);
                }

                if (lane < 4)
                {
                    worst = Math.Max(worst, Math.Abs(v128[lane] - expected) / ulp);
                }
            }
        }

        Assert.True(worst <= 2, $"worst error {worst:F2} ulp, {random}");
    }

    [Fact]
    public void Exp_should_saturate_flush_and_propagate_nan_at_the_edges()
    {
        float[] x = [float.PositiveInfinity, 89f, VectorExp.MaxInput, 0f, -0f, VectorExp.MinInput, -88f, -1000f, float.NegativeInfinity, float.NaN, 1f, -1f];
        var v512 = VectorExp.Exp(Vector512.Create([.. x, 0f, 0f, 0f, 0f]));
        var v256 = VectorExp.Exp(Vector256.Create(x.AsSpan(0, 8)));
        var v128 = VectorExp.Exp(Vector128.Create(x.AsSpan(8, 4)));
        float[] got = [.. Enumerable.Range(0, 12).Select(i => v512[i])];
        float[] narrow = [.. Enumerable.Range(0, 8).Select(i => v256[i]), .. Enumerable.Range(0, 4).Select(i => v128[i])];
        foreach (var values in new[] { got, narrow })
        {
            Assert.Equal(float.PositiveInfinity, values[0]);
            Assert.Equal(float.PositiveInfinity, values[1]);
            Assert.True(float.IsFinite(values[2]) && values[2] > 3.4e38f, $"e^MaxInput = {values[2]}");
            Assert.Equal(1f, values[3]);
            Assert.Equal(1f, values[4]);
            Assert.True(values[5] >= 1.1e-38f && values[5] <= 1.2e-38f, $"e^MinInput = {values[5]}");
            Assert.Equal(0f, values[6]);
            Assert.Equal(0f, values[7]);
            Assert.Equal(0f, values[8]);
            Assert.True(float.IsNaN(values[9]));
            Tolerance.Close(Math.E, values[10], 0, "e^1");
            Tolerance.Close(1 / Math.E, values[11], 0, "e^-1");
        }
    }
}
