using Backprop.Numerics.Optimizers;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Optimizers;

public class RmsPropTests
{
    private const int Seed = 20250312;
    private const int Steps = 4;
    private const float LearningRate = 0.01f;

    [Theory]
    [InlineData(0f, false, 0f, 1f)]
    [InlineData(0.9f, false, 0f, 1f)]
    [InlineData(0f, true, 0f, 0.5f)]
    [InlineData(0.9f, true, 0.05f, 0.5f)]
    [InlineData(0.5f, false, 0.05f, 2f)]
    public void RmsProp_should_match_the_documented_update_over_several_steps_for_every_length(
        float momentum, bool centered, float weightDecay, float gradScale)
    {
        var random = new RandomData(Seed);
        const double alpha = 0.9;
        const float epsilon = 1e-8f;
        for (int n = 0; n <= 256; n++)
        {
            var p = random.Uniform(n, -1f, 1f);
            var squareAverage = new float[n];
            var buffer = momentum > 0 ? new float[n] : [];
            var gradientAverage = centered ? new float[n] : [];
            var reference = new ReferenceOptimizers(p);
            for (int t = 1; t <= Steps; t++)
            {
                var g = random.Uniform(n, -1f, 1f);
                OptimizerKernels.RmsProp(
                    p, g, squareAverage, buffer, gradientAverage, LearningRate, alpha, epsilon, weightDecay, momentum, centered, gradScale);
                reference.RmsProp(g, LearningRate, alpha, epsilon, weightDecay, momentum, centered, gradScale);
            }

            string context = $"RMSprop μ {momentum} centred {centered} wd {weightDecay} scale {gradScale}, {random}, length {n}";
            Tolerance.AllClose(reference.P, p, reference.PMagnitude, context);
            Tolerance.AllClose(reference.S1, squareAverage, reference.S1Magnitude, $"square average, {context}");
            if (momentum > 0)
            {
                Tolerance.AllClose(reference.S2, buffer, reference.S2Magnitude, $"momentum buffer, {context}");
            }

            if (centered)
            {
                Tolerance.AllClose(reference.S3, gradientAverage, reference.S3Magnitude, $"gradient average, {context}");
            }
        }
    }

    [Theory]
    [InlineData(0f, false, 0.0025, 0.900000020, 0.004975, 0.8291119095)]
    [InlineData(0.9f, false, 0.0025, 0.900000020, 0.004975, 0.7391119275)]
    [InlineData(0f, true, 0.0025, 0.8994962387, 0.004975, 0.8278920868)]
    [InlineData(0.9f, true, 0.0025, 0.8994962387, 0.004975, 0.7374387016)]
    public void RmsProp_should_reproduce_hand_computed_steps(
        float momentum, bool centered, double squareAverage1, double p1, double squareAverage2, double p2)
    {
        // lr 0.01, α 0.99, ε 1e-8, g = 0.5 twice. sq = 0.01·0.25 = 0.0025, then 0.99·0.0025 + 0.0025 = 0.004975.
        // Plain: p = 1 − 0.01·0.5/(0.05 + 1e-8) = 0.90000002; then − 0.01·0.5/0.0705337 → 0.8291119.
        // Momentum 0.9: buf = 9.999998, p = 0.90000002; buf = 8.9999982 + 7.0888112 = 16.0888092, p → 0.7391119.
        // Centred: ga = 0.005, √(0.0025 − 0.000025) = 0.0497494 → p = 1 − 0.1005038 = 0.8994962;
        //          ga = 0.00995, √(0.004975 − 0.000099) = 0.0698284 → p = 0.8994962 − 0.0716041 = 0.8278921.
        float[] p = [1f], sq = [0f];
        var buffer = momentum > 0 ? new float[1] : [];
        var gradientAverage = centered ? new float[1] : [];
        OptimizerKernels.RmsProp(p, [0.5f], sq, buffer, gradientAverage, 0.01f, momentum: momentum, centered: centered);
        Tolerance.Close(squareAverage1, sq[0], 0, "RMSprop sq, step 1");
        Tolerance.Close(p1, p[0], 1, "RMSprop p, step 1");
        OptimizerKernels.RmsProp(p, [0.5f], sq, buffer, gradientAverage, 0.01f, momentum: momentum, centered: centered);
        Tolerance.Close(squareAverage2, sq[0], 0, "RMSprop sq, step 2");
        Tolerance.Close(p2, p[0], 1, "RMSprop p, step 2");
    }
}
