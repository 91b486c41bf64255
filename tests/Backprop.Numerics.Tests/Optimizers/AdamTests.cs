using Backprop.Numerics.Optimizers;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Optimizers;

public class AdamTests
{
    private const int Seed = 20250311;
    private const int Steps = 4;
    private const float LearningRate = 0.01f;

    [Theory]
    [InlineData(false, 0f, 0.9, 0.999, 1f)]
    [InlineData(false, 0.1f, 0.9, 0.999, 0.5f)]
    [InlineData(true, 0.1f, 0.9, 0.999, 1f)]
    [InlineData(true, 0.01f, 0.8, 0.9999, 0.25f)]
    public void Adam_should_match_the_documented_update_over_several_steps_for_every_length(
        bool decoupled, float weightDecay, double beta1, double beta2, float gradScale)
    {
        var random = new RandomData(Seed + (decoupled ? 1 : 0));
        const float epsilon = 1e-8f;
        for (int n = 0; n <= 256; n++)
        {
            var p = random.Uniform(n, -1f, 1f);
            var m = new float[n];
            var v = new float[n];
            var reference = new ReferenceOptimizers(p);
            for (int t = 1; t <= Steps; t++)
            {
                var g = random.Uniform(n, -1f, 1f);
                if (decoupled)
                {
                    OptimizerKernels.AdamW(p, g, m, v, LearningRate, t, beta1, beta2, epsilon, weightDecay, gradScale);
                }
                else
                {
                    OptimizerKernels.Adam(p, g, m, v, LearningRate, t, beta1, beta2, epsilon, weightDecay, gradScale);
                }

                reference.Adam(g, t, LearningRate, beta1, beta2, epsilon, weightDecay, decoupled, gradScale);
            }

            string context = $"{(decoupled ? "AdamW" : "Adam")} wd {weightDecay} β ({beta1}, {beta2}) scale {gradScale}, {random}, length {n}";
            Tolerance.AllClose(reference.P, p, reference.PMagnitude, context);
            Tolerance.AllClose(reference.S1, m, reference.S1Magnitude, $"m, {context}");
            Tolerance.AllClose(reference.S2, v, reference.S2Magnitude, $"v, {context}");
        }
    }

    [Fact]
    public void Adam_should_reproduce_hand_computed_steps()
    {
        // lr 0.1, β (0.9, 0.999), ε 1e-8; g = 0.5 then −0.25.
        // t = 1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25 → p = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002.
        // t = 2: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
        //        m̂ = 0.02/0.19 = 0.1052632, v̂ = 0.00031225/0.001999 = 0.1562031, √v̂ = 0.3952253
        //        → p = 0.900000002 − 0.1·0.2663371 = 0.8733663.
        float[] p = [1f], m = [0f], v = [0f];
        OptimizerKernels.Adam(p, [0.5f], m, v, learningRate: 0.1f, step: 1);
        Tolerance.Close(0.900000002, p[0], 1, "Adam t = 1 by hand");
        OptimizerKernels.Adam(p, [-0.25f], m, v, learningRate: 0.1f, step: 2);
        Tolerance.Close(0.02, m[0], 0, "Adam m by hand");
        Tolerance.Close(0.00031225, v[0], 0, "Adam v by hand");
        Tolerance.Close(0.8733662987, p[0], 1, "Adam t = 2 by hand");
    }

    [Fact]
    public void Adam_with_weight_decay_and_grad_scale_should_reproduce_a_hand_computed_step()
    {
        // ĝ = 2·0.25 + 0.1·1 = 0.6; m̂ = 0.6, v̂ = 0.36 → p = 1 − 0.1·0.6/(0.6 + 1e-8) = 0.9000000017.
        float[] p = [1f], m = [0f], v = [0f];
        OptimizerKernels.Adam(p, [0.25f], m, v, learningRate: 0.1f, step: 1, weightDecay: 0.1f, gradScale: 2f);
        Tolerance.Close(0.9000000017, p[0], 1, "Adam L2 by hand");
        Tolerance.Close(0.06, m[0], 0, "Adam L2 m by hand");
    }

    [Fact]
    public void AdamW_should_reproduce_hand_computed_steps()
    {
        // lr 0.1, wd 0.1: each step first p ← p·(1 − 0.01), then the Adam step of the test above.
        // t = 1: p = 0.99 − 0.1·0.5/(0.5 + 1e-8) = 0.890000002; t = 2: p = 0.890000002·0.99 − 0.02663371 = 0.8544663.
        float[] p = [1f], m = [0f], v = [0f];
        OptimizerKernels.AdamW(p, [0.5f], m, v, learningRate: 0.1f, step: 1, weightDecay: 0.1f);
        Tolerance.Close(0.890000002, p[0], 1, "AdamW t = 1 by hand");
        OptimizerKernels.AdamW(p, [-0.25f], m, v, learningRate: 0.1f, step: 2, weightDecay: 0.1f);
        Tolerance.Close(0.8544662987, p[0], 1, "AdamW t = 2 by hand");
    }

    [Fact]
    public void Adam_should_stay_finite_when_the_step_count_is_huge()
    {
        float[] p = [1f, -1f], m = [0.1f, -0.1f], v = [0.01f, 0.01f];
        OptimizerKernels.Adam(p, [0.1f, -0.1f], m, v, learningRate: 0.001f, step: long.MaxValue);

        // β^t underflows to 0, so the bias corrections are 1: p −= 0.001·m/(√v + ε) with m = 0.1, v = 0.01.
        Tolerance.AllClose([1 - (0.001 * 0.1 / (0.1 + 1e-8)), -1 + (0.001 * 0.1 / (0.1 + 1e-8))], p, 1, "Adam at step 2^63 − 1");
    }
}
