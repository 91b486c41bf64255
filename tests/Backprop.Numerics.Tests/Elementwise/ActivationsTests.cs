using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Elementwise;

/// <summary>The stand-alone kernels must agree bit for bit with <see cref="Activation"/> and validate the same way.</summary>
public class ActivationsTests
{
    private const int Seed = 20250305;

    [Fact]
    public void Kernels_should_match_the_activation_dispatch_bit_for_bit_for_every_length()
    {
        var random = new RandomData(Seed);
        for (int n = 0; n <= 256; n++)
        {
            var x = random.Uniform(n, -8f, 8f);
            var dy = random.Uniform(n, -2f, 2f);
            string context = $"{random}, length {n}";
            Check(Activation.Sigmoid, Activations.Sigmoid, (y, d, dx) => Activations.SigmoidBackward(y, d, dx), x, dy, context);
            Check(Activation.Tanh, Activations.Tanh, (y, d, dx) => Activations.TanhBackward(y, d, dx), x, dy, context);
            Check(Activation.Relu, Activations.Relu, (y, d, dx) => Activations.ReluBackward(y, d, dx), x, dy, context);
            Check(Activation.Gelu, Activations.Gelu, (y, d, dx) => Activations.GeluBackward(x, d, dx), x, dy, context);
            Check(Activation.GeluErf, Activations.GeluErf, (y, d, dx) => Activations.GeluErfBackward(x, d, dx), x, dy, context);
            Check(
                Activation.LeakyRelu(0.3f),
                (a, b) => Activations.LeakyRelu(a, 0.3f, b),
                (y, d, dx) => Activations.LeakyReluBackward(x, 0.3f, d, dx),
                x,
                dy,
                context);
        }
    }

    [Fact]
    public void Kernels_should_throw_naming_the_argument_that_is_wrong()
    {
        var buffer = new float[20];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Sigmoid(new float[3], new float[4])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.Gelu(buffer.AsSpan(0, 8), buffer.AsSpan(1, 8))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activations.TanhBackward(new float[3], new float[4], new float[4])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Activations.GeluBackward(new float[3], new float[4], new float[4])).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Activations.ReluBackward(new float[4], new float[4], new float[3])).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Activations.LeakyReluBackward(new float[8], 0.1f, buffer.AsSpan(0, 8), buffer.AsSpan(2, 8))).ParamName);
    }

    private delegate void Forward(ReadOnlySpan<float> x, Span<float> y);

    private delegate void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    private static void Check(Activation activation, Forward forward, Backward backward, float[] x, float[] dy, string context)
    {
        var expectedY = new float[x.Length];
        activation.Forward(x, expectedY);
        var y = new float[x.Length];
        forward(x, y);
        Assert.True(expectedY.AsSpan().SequenceEqual(y), $"{activation.Kind} forward, {context}");

        var expectedDx = new float[x.Length];
        activation.Backward(x, y, dy, expectedDx);
        var dx = new float[x.Length];
        backward(y, dy, dx);
        Assert.True(expectedDx.AsSpan().SequenceEqual(dx), $"{activation.Kind} backward, {context}");
    }
}
