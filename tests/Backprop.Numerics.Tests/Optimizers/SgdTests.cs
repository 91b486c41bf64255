using Backprop.Numerics.Optimizers;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Optimizers;

public class SgdTests
{
    private const int Seed = 20250310;
    private const int Steps = 4;
    private const float LearningRate = 0.05f;

    [Theory]
    [InlineData(0f, 1f)]
    [InlineData(0.1f, 0.25f)]
    public void Sgd_should_match_the_documented_update_over_several_steps_for_every_length(float weightDecay, float gradScale)
    {
        var random = new RandomData(Seed);
        for (int n = 0; n <= 256; n++)
        {
            var p = random.Uniform(n, -1f, 1f);
            var reference = new ReferenceOptimizers(p);
            for (int t = 1; t <= Steps; t++)
            {
                var g = random.Uniform(n, -1f, 1f);
                OptimizerKernels.Sgd(p, g, LearningRate, weightDecay, gradScale);
                reference.Sgd(g, t, LearningRate, momentum: 0, nesterov: false, weightDecay, gradScale);
            }

            Tolerance.AllClose(reference.P, p, reference.PMagnitude, $"SGD wd {weightDecay} scale {gradScale}, {random}, length {n}");
        }
    }

    [Theory]
    [InlineData(false, 0f, 1f)]
    [InlineData(true, 0f, 1f)]
    [InlineData(false, 0.05f, 0.5f)]
    [InlineData(true, 0.05f, 0.5f)]
    public void SgdMomentum_should_match_the_documented_update_over_several_steps_for_every_length(
        bool nesterov, float weightDecay, float gradScale)
    {
        var random = new RandomData(Seed + 1);
        const float momentum = 0.9f;
        for (int n = 0; n <= 256; n++)
        {
            var p = random.Uniform(n, -1f, 1f);
            var velocity = new float[n];
            var reference = new ReferenceOptimizers(p);
            for (int t = 1; t <= Steps; t++)
            {
                var g = random.Uniform(n, -1f, 1f);
                OptimizerKernels.SgdMomentum(p, g, velocity, LearningRate, momentum, nesterov, weightDecay, gradScale);
                reference.Sgd(g, t, LearningRate, momentum, nesterov, weightDecay, gradScale);
            }

            string context = $"momentum nesterov {nesterov} wd {weightDecay} scale {gradScale}, {random}, length {n}";
            Tolerance.AllClose(reference.P, p, reference.PMagnitude, context);
            Tolerance.AllClose(reference.S1, velocity, reference.S1Magnitude, $"velocity, {context}");
        }
    }

    [Fact]
    public void Sgd_should_reproduce_a_hand_computed_step()
    {
        // ĝ = 2·0.5 + 0.01·1 = 1.01 → p = 1 − 0.1·1.01 = 0.899;  ĝ = 2·0.25 + 0.01·(−2) = 0.48 → p = −2 − 0.048 = −2.048.
        float[] p = [1f, -2f];
        OptimizerKernels.Sgd(p, [0.5f, 0.25f], learningRate: 0.1f, weightDecay: 0.01f, gradScale: 2f);
        Tolerance.AllClose([0.899, -2.048], p, 1, "SGD by hand");
    }

    [Fact]
    public void SgdMomentum_should_reproduce_hand_computed_steps()
    {
        // μ = 0.9, lr = 0.1, g = 0.5 twice.
        // Plain:    v = 0.5, p = 1 − 0.05 = 0.95;      v = 0.45 + 0.5 = 0.95, p = 0.95 − 0.095 = 0.855.
        // Nesterov: v = 0.5, p = 1 − 0.1·(0.5 + 0.45) = 0.905;  v = 0.95, p = 0.905 − 0.1·(0.5 + 0.855) = 0.7695.
        float[] plain = [1f], plainVelocity = [0f], nesterov = [1f], nesterovVelocity = [0f];
        for (int step = 0; step < 2; step++)
        {
            OptimizerKernels.SgdMomentum(plain, [0.5f], plainVelocity, 0.1f, 0.9f);
            OptimizerKernels.SgdMomentum(nesterov, [0.5f], nesterovVelocity, 0.1f, 0.9f, nesterov: true);
        }

        Tolerance.Close(0.855, plain[0], 1, "momentum by hand");
        Tolerance.Close(0.95, plainVelocity[0], 1, "momentum velocity by hand");
        Tolerance.Close(0.7695, nesterov[0], 1, "Nesterov by hand");
        Tolerance.Close(0.95, nesterovVelocity[0], 1, "Nesterov velocity by hand");
    }
}
