using Backprop.Nn.Losses;
using Backprop.Nn.Models;
using Backprop.Nn.Parameters;
using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Gemm;

namespace Backprop.Nn.Tests.Models;

public sealed class ExchangeParametersTests : IDisposable
{
    private static readonly ModelSpec Spec = new(4, [new LayerSpec(6, Activation.Tanh)], 3, LossKind.SoftmaxCrossEntropy);
    private readonly GemmEngine _gemm = new(new GemmOptions { Threads = 1 });

    [Fact]
    public void The_network_should_compute_with_the_buffer_swapped_in_and_hand_back_the_old_one()
    {
        int length = new ParameterLayout(Spec.Widths).Length;
        var first = Filled(length, 0.1f);
        var second = Filled(length, -0.3f);
        var x = Filled(2 * Spec.Inputs, 0.7f);
        var network = new Network(Spec, first, _gemm);
        var workspace = network.CreateWorkspace(2);
        var before = network.Forward(x, 2, workspace).ToArray();

        Assert.Same(first, network.ExchangeParameters(second));

        Assert.Same(second, network.Parameters);
        var after = network.Forward(x, 2, workspace).ToArray();
        Assert.Equal(new Network(Spec, (float[])second.Clone(), _gemm).Forward(x, 2, network.CreateWorkspace(2)).ToArray(), after);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void A_buffer_of_another_length_should_be_refused_and_the_old_one_kept()
    {
        int length = new ParameterLayout(Spec.Widths).Length;
        var parameters = Filled(length, 0.1f);
        var network = new Network(Spec, parameters, _gemm);

        var error = Assert.Throws<ArgumentException>(() => network.ExchangeParameters(new float[length - 1]));

        Assert.Contains($"{length} parameters", error.Message, StringComparison.Ordinal);
        Assert.Same(parameters, network.Parameters);
    }

    public void Dispose() => _gemm.Dispose();

    private static float[] Filled(int length, float scale) => [.. Enumerable.Range(0, length).Select(i => scale * MathF.Sin(i + 1))];
}
