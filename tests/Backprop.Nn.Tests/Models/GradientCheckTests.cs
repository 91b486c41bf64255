using Backprop.Nn.Losses;
using Backprop.Nn.Models;
using Backprop.Nn.Randomness;
using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Gemm;

namespace Backprop.Nn.Tests.Models;

/// <summary>
/// The backward pass against central finite differences of the float64 reference loss, for every
/// activation, every loss, dropout, frozen layers and a whole multi-layer network.
/// </summary>
public sealed class GradientCheckTests : IDisposable
{
    private readonly GemmEngine _gemm = new(new GemmOptions { Threads = 1 });

    public static TheoryData<ActivationKind> Activations() =>
        [ActivationKind.Identity, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.Relu, ActivationKind.LeakyRelu, ActivationKind.Gelu, ActivationKind.GeluErf];

    [Theory]
    [MemberData(nameof(Activations))]
    public void Gradient_should_match_finite_differences_for_each_activation(ActivationKind kind)
    {
        var activation = new Activation(kind, 0.1f);
        var spec = new ModelSpec(5, [new LayerSpec(7, activation)], 3, LossKind.SoftmaxCrossEntropy);
        Check(spec, rows: 4, seed: 10 + (int)kind);
    }

    [Theory]
    [InlineData(LossKind.SoftmaxCrossEntropy, 4)]
    [InlineData(LossKind.BinaryCrossEntropy, 1)]
    [InlineData(LossKind.MeanSquaredError, 3)]
    public void Gradient_should_match_finite_differences_for_each_loss(LossKind loss, int outputs)
    {
        var spec = new ModelSpec(6, [new LayerSpec(5, Activation.Tanh)], outputs, loss);
        Check(spec, rows: 5, seed: 20 + (int)loss);
    }

    [Fact]
    public void Gradient_of_a_deep_network_should_match_finite_differences()
    {
        var spec = new ModelSpec(
            8,
            [new LayerSpec(9, Activation.Relu), new LayerSpec(7, Activation.Gelu), new LayerSpec(6, Activation.Sigmoid), new LayerSpec(5, new Activation(ActivationKind.LeakyRelu, 0.05f))],
            4,
            LossKind.SoftmaxCrossEntropy);
        Check(spec, rows: 6, seed: 31);
    }

    [Fact]
    public void Gradient_with_dropout_should_match_finite_differences_of_the_same_masks()
    {
        var spec = new ModelSpec(6, [new LayerSpec(10, Activation.Relu, 0.3), new LayerSpec(8, Activation.Tanh, 0.5)], 3, LossKind.SoftmaxCrossEntropy);
        Check(spec, rows: 5, seed: 41, dropout: new DropoutDraw(Seed: 99, Step: 17, FirstSample: 3));
    }

    [Fact]
    public void Frozen_layers_should_get_no_gradient_and_the_rest_the_full_one()
    {
        var spec = new ModelSpec(5, [new LayerSpec(6, Activation.Tanh), new LayerSpec(4, Activation.Relu)], 3, LossKind.SoftmaxCrossEntropy);
        var (network, x, labels, _) = Build(spec, rows: 4, seed: 51);
        var frozen = new float[network.Layout.Length];
        var full = new float[network.Layout.Length];
        var workspace = network.CreateWorkspace(4);

        network.ComputeGradient(x, 4, labels, [], full, workspace, default);
        network.ComputeGradient(x, 4, labels, [], frozen, workspace, default, frozenLayers: 1);

        Assert.All(network.Layout.Weight(0).Of(frozen).ToArray(), g => Assert.Equal(0f, g));
        Assert.All(network.Layout.Bias(0).Of(frozen).ToArray(), g => Assert.Equal(0f, g));
        for (int l = 1; l < 3; l++)
        {
            Assert.Equal(network.Layout.Weight(l).Of(full).ToArray(), network.Layout.Weight(l).Of(frozen).ToArray());
        }
    }

    public void Dispose() => _gemm.Dispose();

    private void Check(ModelSpec spec, int rows, int seed, DropoutDraw? dropout = null)
    {
        var (network, x, labels, targets) = Build(spec, rows, seed);
        var gradient = new float[network.Layout.Length];
        var result = network.ComputeGradient(x, rows, labels, targets, gradient, network.CreateWorkspace(rows), dropout ?? default);

        var parameters = network.Parameters.Select(p => (double)p).ToArray();
        double referenceLoss = ReferenceNetwork.LossSum(spec, parameters, x, rows, labels, targets, dropout);
        Assert.True(Math.Abs(result.LossSum - referenceLoss) <= 1e-4 * (1 + Math.Abs(referenceLoss)), $"loss {result.LossSum} vs reference {referenceLoss}");

        const double H = 1e-4;
        for (int i = 0; i < parameters.Length; i++)
        {
            double saved = parameters[i];
            parameters[i] = saved + H;
            double plus = ReferenceNetwork.LossSum(spec, parameters, x, rows, labels, targets, dropout);
            parameters[i] = saved - H;
            double minus = ReferenceNetwork.LossSum(spec, parameters, x, rows, labels, targets, dropout);
            parameters[i] = saved;
            double numeric = (plus - minus) / (2 * H);

            // float32 forward and backward against float64 differences: a few float ulps of the
            // magnitudes involved, far below any missing or doubled chain-rule term.
            double tolerance = 1e-5 + (1e-4 * Math.Abs(numeric));
            Assert.True(
                Math.Abs(gradient[i] - numeric) <= tolerance,
                $"{spec} seed {seed}: parameter {i} ({BlockOf(network, i)}): backprop {gradient[i]}, finite differences {numeric}");
        }
    }

    private (Network Network, float[] X, int[] Labels, float[] Targets) Build(ModelSpec spec, int rows, int seed)
    {
        var random = new RandomSource((ulong)seed);
        var parameters = new float[new Backprop.Nn.Parameters.ParameterLayout(spec.Widths).Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)((random.NextDouble() * 1.6) - 0.8);
        }

        var x = Enumerable.Range(0, rows * spec.Inputs).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        int classes = spec.Loss == LossKind.BinaryCrossEntropy ? 2 : spec.Outputs;
        var labels = spec.Loss == LossKind.MeanSquaredError ? [] : Enumerable.Range(0, rows).Select(_ => random.NextInt(classes)).ToArray();
        var targets = spec.Loss == LossKind.MeanSquaredError
            ? Enumerable.Range(0, rows * spec.Outputs).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()
            : [];
        return (new Network(spec, parameters, _gemm), x, labels, targets);
    }

    private static string BlockOf(Network network, int index) =>
        network.Layout.Blocks.First(b => index >= b.Offset && index < b.End).Name;
}
