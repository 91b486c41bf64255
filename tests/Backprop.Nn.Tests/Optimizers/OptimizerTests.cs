using Backprop.Nn.Optimizers;
using Backprop.Nn.Parameters;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Tests.Optimizers;

public sealed class OptimizerTests
{
    // Two layers: 2×3 weights, 3×1 weights, then biases of 3 and 1 — 13 parameters.
    private static readonly ParameterLayout Layout = new([2, 3, 1]);

    [Fact]
    public void Sgd_should_divide_the_gradient_sum_by_the_samples_and_decay_only_weights()
    {
        var optimizer = new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Sgd, LearningRate = 0.5, WeightDecay = 0.1 }, Layout);
        var p = Filled(1f);
        var g = Filled(4f);

        optimizer.Step(p, g, samples: 2, learningRate: 0.5);

        // weights: 1 − 0.5·(4/2 + 0.1·1) = −0.05; biases: 1 − 0.5·(4/2) = 0.
        Assert.All(p[..Layout.WeightCount], v => Assert.Equal(-0.05f, v, 6));
        Assert.All(p[Layout.WeightCount..], v => Assert.Equal(0f, v, 6));
        Assert.Equal(1, optimizer.Steps);
    }

    [Fact]
    public void Momentum_should_keep_a_velocity_per_parameter_across_steps()
    {
        var optimizer = new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Momentum, LearningRate = 0.1, Momentum = 0.9 }, Layout);
        var p = Filled(0f);
        var g = Filled(1f);

        optimizer.Step(p, g, 1, 0.1);
        optimizer.Step(p, g, 1, 0.1);

        // v1 = 1, p1 = −0.1; v2 = 0.9 + 1 = 1.9, p2 = −0.1 − 0.19 = −0.29.
        Assert.All(p, v => Assert.Equal(-0.29f, v, 6));
        Assert.All(optimizer.State[0], v => Assert.Equal(1.9f, v, 6));
    }

    [Fact]
    public void Adam_first_step_should_move_each_parameter_by_the_learning_rate()
    {
        var optimizer = new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Adam }, Layout);
        var p = Filled(1f);
        var g = Filled(-3f);

        optimizer.Step(p, g, 3, 0.01);

        // Bias-corrected m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) = −0.01·sign.
        Assert.All(p, v => Assert.Equal(1.01f, v, 5));
    }

    [Fact]
    public void Clipping_should_scale_the_mean_gradient_down_to_the_norm()
    {
        var optimizer = new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Sgd, ClipNorm = 1.0 }, Layout);
        var p = Filled(0f);
        var g = Filled(2f);

        optimizer.Step(p, g, samples: 1, learningRate: 1.0);

        double norm = Math.Sqrt(13 * 4.0);
        Assert.Equal(norm, optimizer.LastGradientNorm, 6);
        Assert.All(p, v => Assert.Equal((float)(-2 / norm), v, 6));
    }

    [Fact]
    public void Frozen_layers_should_not_move()
    {
        var optimizer = new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Sgd }, Layout, frozenLayers: 1);
        var p = Filled(1f);
        var g = Filled(1f);

        optimizer.Step(p, g, 1, 0.5);

        Assert.All(Layout.Weight(0).Of(p).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Layout.Bias(0).Of(p).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Layout.Weight(1).Of(p).ToArray(), v => Assert.Equal(0.5f, v));
        Assert.All(Layout.Bias(1).Of(p).ToArray(), v => Assert.Equal(0.5f, v));
    }

    [Fact]
    public void Restored_state_should_continue_exactly_like_the_original()
    {
        var settings = new OptimizerSettings { Kind = OptimizerKind.Adam, LearningRate = 0.01 };
        var original = new Optimizer(settings, Layout);
        var p1 = Filled(0.5f);
        var g = Enumerable.Range(0, Layout.Length).Select(i => (float)Math.Sin(i)).ToArray();
        original.Step(p1, g, 2, 0.01);
        original.Step(p1, g, 2, 0.01);

        var resumed = new Optimizer(settings, Layout);
        resumed.Restore(original.Steps, [.. original.State.Select(s => (float[])s.Clone())]);
        var p2 = (float[])p1.Clone();
        original.Step(p1, g, 2, 0.01);
        resumed.Step(p2, g, 2, 0.01);

        Assert.Equal(p1, p2);
    }

    [Fact]
    public void Restore_should_refuse_state_of_another_shape()
    {
        var optimizer = new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Adam }, Layout);
        var error = Assert.Throws<ArgumentException>(() => optimizer.Restore(1, [new float[13]]));
        Assert.Contains("keeps 2 buffers", error.Message, StringComparison.Ordinal);
    }

    private static float[] Filled(float value) => Enumerable.Repeat(value, Layout.Length).ToArray();
}
