using Backprop.Numerics.Optimizers;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Optimizers;

public class AdaGradTests
{
    private const int Seed = 20250313;
    private const int Steps = 4;
    private const float LearningRate = 0.05f;

    [Theory]
    [InlineData(0f, 0f, 1f)]
    [InlineData(0.1f, 0f, 1f)]
    [InlineData(0.1f, 0.05f, 0.25f)]
    public void AdaGrad_should_match_the_documented_update_over_several_steps_for_every_length(
        float learningRateDecay, float weightDecay, float gradScale)
    {
        var random = new RandomData(Seed);
        const float epsilon = 1e-10f;
        for (int n = 0; n <= 256; n++)
        {
            var p = random.Uniform(n, -1f, 1f);
            var sum = new float[n];
            var reference = new ReferenceOptimizers(p);
            for (int t = 1; t <= Steps; t++)
            {
                var g = random.Uniform(n, -1f, 1f);
                OptimizerKernels.AdaGrad(p, g, sum, LearningRate, t, learningRateDecay, weightDecay, epsilon, gradScale);
                reference.AdaGrad(g, t, LearningRate, learningRateDecay, weightDecay, epsilon, gradScale);
            }

            string context = $"Adagrad decay {learningRateDecay} wd {weightDecay} scale {gradScale}, {random}, length {n}";
            Tolerance.AllClose(reference.P, p, reference.PMagnitude, context);
            Tolerance.AllClose(reference.S1, sum, reference.S1Magnitude, $"sum of squares, {context}");
        }
    }

    [Fact]
    public void AdaGrad_should_reproduce_hand_computed_steps()
    {
        // lr 0.1, lr_decay 0.5, ε 1e-10, g = 0.5 twice.
        // t = 1: clr = 0.1, sum = 0.25, p = 1 − 0.1·0.5/(0.5 + 1e-10) = 0.9.
        // t = 2: clr = 0.1/1.5 = 0.0666667, sum = 0.5, p = 0.9 − 0.0666667·0.5/0.7071068 = 0.8528595.
        float[] p = [1f], sum = [0f];
        OptimizerKernels.AdaGrad(p, [0.5f], sum, learningRate: 0.1f, step: 1, learningRateDecay: 0.5f);
        Tolerance.Close(0.9, p[0], 1, "Adagrad t = 1 by hand");
        OptimizerKernels.AdaGrad(p, [0.5f], sum, learningRate: 0.1f, step: 2, learningRateDecay: 0.5f);
        Tolerance.Close(0.5, sum[0], 0, "Adagrad sum by hand");
        Tolerance.Close(0.8528595479, p[0], 1, "Adagrad t = 2 by hand");
    }
}
