using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Elementwise;

public class ActivationTests
{
    private const int Seed = 20250301;
    private const int MaxLength = 256;
    private static readonly double GeluC = Math.Sqrt(2 / Math.PI);

    public static TheoryData<ActivationKind, float> AllKinds => new()
    {
        { ActivationKind.Identity, 0f },
        { ActivationKind.Sigmoid, 0f },
        { ActivationKind.Tanh, 0f },
        { ActivationKind.Relu, 0f },
        { ActivationKind.LeakyRelu, 0.01f },
        { ActivationKind.LeakyRelu, 0.2f },
        { ActivationKind.LeakyRelu, -0.5f },
        { ActivationKind.Gelu, 0f },
        { ActivationKind.GeluErf, 0f },
    };

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Forward_should_match_float64_reference_for_every_length(ActivationKind kind, float slope)
    {
        var activation = new Activation(kind, slope);
        var random = new RandomData(Seed + (int)kind);
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = random.Uniform(n, -8f, 8f);
            var y = new float[n];
            activation.Forward(x, y);

            var expected = x.Select(v => ReferenceForward(kind, slope, v)).ToArray();
            // σ and tanh are built from e^x and 1, so 1 is their scale (TensorPrimitives.Tanh is accurate in absolute, not relative, terms near 0).
            var scales = x.Select(v => kind is ActivationKind.Sigmoid or ActivationKind.Tanh ? 1.0 : Math.Abs(v)).ToArray();
            Tolerance.AllClose(expected, y, scales, $"{kind}({slope}) forward, {random}, length {n}");
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Forward_should_give_the_same_bits_when_in_place(ActivationKind kind, float slope)
    {
        var activation = new Activation(kind, slope);
        var random = new RandomData(Seed + 100 + (int)kind);
        for (int n = 0; n <= MaxLength; n += 7)
        {
            var x = random.Uniform(n, -8f, 8f);
            var outOfPlace = new float[n];
            activation.Forward(x, outOfPlace);
            var inPlace = (float[])x.Clone();
            activation.Forward(inPlace, inPlace);
            Assert.True(outOfPlace.AsSpan().SequenceEqual(inPlace), $"{kind}, {random}, length {n}");
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Backward_should_match_float64_reference_for_every_length(ActivationKind kind, float slope)
    {
        var activation = new Activation(kind, slope);
        var random = new RandomData(Seed + 200 + (int)kind);
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = random.Uniform(n, -8f, 8f);
            var dy = random.Uniform(n, -2f, 2f);
            var y = new float[n];
            activation.Forward(x, y);
            var dx = new float[n];
            activation.Backward(x, y, dy, dx);

            var expected = new double[n];
            for (int i = 0; i < n; i++)
            {
                expected[i] = ReferenceBackward(kind, slope, x[i], y[i], dy[i]);
            }

            var scales = dy.Select(v => (double)Math.Abs(v)).ToArray();
            Tolerance.AllClose(expected, dx, scales, $"{kind}({slope}) backward, {random}, length {n}");
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Backward_should_match_central_differences_of_the_forward_formula(ActivationKind kind, float slope)
    {
        var activation = new Activation(kind, slope);
        var random = new RandomData(Seed + 300 + (int)kind);
        const int n = 67;

        // Off the kink of ReLU and leaky ReLU, where the derivative is not defined.
        var x = random.AwayFromZero(n, 6f, 1e-3f);
        var dy = random.Uniform(n, -2f, 2f);
        var y = new float[n];
        activation.Forward(x, y);
        var dx = new float[n];
        activation.Backward(x, y, dy, dx);

        var expected = new double[n];
        for (int i = 0; i < n; i++)
        {
            expected[i] = dy[i] * FiniteDifference.Derivative(v => ReferenceForward(kind, slope, v), x[i]);
        }

        var scales = dy.Select(v => (double)Math.Abs(v)).ToArray();
        Tolerance.AllClose(expected, dx, scales, $"{kind}({slope}) backward vs central differences, {random}");
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Backward_should_give_the_same_bits_when_dx_aliases_dy(ActivationKind kind, float slope)
    {
        var activation = new Activation(kind, slope);
        var random = new RandomData(Seed + 400 + (int)kind);
        for (int n = 0; n <= MaxLength; n += 5)
        {
            var x = random.Uniform(n, -8f, 8f);
            var dy = random.Uniform(n, -2f, 2f);
            var y = new float[n];
            activation.Forward(x, y);
            var separate = new float[n];
            activation.Backward(x, y, dy, separate);
            var aliased = (float[])dy.Clone();
            activation.Backward(x, y, aliased, aliased);
            Assert.True(separate.AsSpan().SequenceEqual(aliased), $"{kind}, {random}, length {n}");
        }
    }

    [Theory]
    [InlineData(ActivationKind.Identity)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Relu)]
    public void Backward_should_accept_an_empty_x_when_the_input_is_not_needed(ActivationKind kind)
    {
        var activation = new Activation(kind);
        Assert.False(activation.NeedsInputForBackward);
        var x = new RandomData(Seed).Uniform(19, -3f, 3f);
        var y = new float[19];
        activation.Forward(x, y);
        var dy = new RandomData(Seed + 1).Uniform(19, -1f, 1f);
        var withX = new float[19];
        var withoutX = new float[19];
        activation.Backward(x, y, dy, withX);
        activation.Backward([], y, dy, withoutX);
        Assert.Equal(withX, withoutX);
    }

    [Theory]
    [InlineData(ActivationKind.LeakyRelu)]
    [InlineData(ActivationKind.Gelu)]
    [InlineData(ActivationKind.GeluErf)]
    public void Backward_should_throw_naming_x_when_the_input_is_needed_but_empty(ActivationKind kind)
    {
        var activation = new Activation(kind);
        Assert.True(activation.NeedsInputForBackward);
        var ex = Assert.Throws<ArgumentException>(() => activation.Backward([], new float[4], new float[4], new float[4]));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains(kind.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsInputForBackward_should_be_true_only_for_gelu_and_leaky_relu()
    {
        foreach (var kind in Enum.GetValues<ActivationKind>())
        {
            bool expected = kind is ActivationKind.Gelu or ActivationKind.GeluErf or ActivationKind.LeakyRelu;
            Assert.Equal(expected, new Activation(kind).NeedsInputForBackward);
        }
    }

    [Fact]
    public void Factories_should_build_the_named_kind_with_its_slope()
    {
        Assert.Equal(new Activation(ActivationKind.Identity), Activation.Identity);
        Assert.Equal(new Activation(ActivationKind.Relu), Activation.Relu);
        Assert.Equal(new Activation(ActivationKind.Sigmoid), Activation.Sigmoid);
        Assert.Equal(new Activation(ActivationKind.Tanh), Activation.Tanh);
        Assert.Equal(new Activation(ActivationKind.Gelu), Activation.Gelu);
        Assert.Equal(new Activation(ActivationKind.GeluErf), Activation.GeluErf);
        Assert.Equal(new Activation(ActivationKind.LeakyRelu, 0.01f), Activation.LeakyRelu());
        Assert.Equal(0.2f, Activation.LeakyRelu(0.2f).Slope);
        Assert.Equal(ActivationKind.LeakyRelu, Activation.LeakyRelu(0.2f).Kind);
    }

    [Theory]
    [InlineData(ActivationKind.Gelu)]
    [InlineData(ActivationKind.GeluErf)]
    public void Gelu_should_saturate_to_x_or_zero_without_nan_when_inputs_are_huge(ActivationKind kind)
    {
        var gelu = new Activation(kind);
        float[] x = [10f, -10f, 50f, -50f, 1e4f, -1e4f, 1e13f, -1e13f, 1e20f, -1e20f, float.MaxValue, -float.MaxValue, 0f, -0f];
        var y = new float[x.Length];
        var dx = new float[x.Length];
        var dy = Enumerable.Repeat(1f, x.Length).ToArray();
        gelu.Forward(x, y);
        gelu.Backward(x, y, dy, dx);
        for (int i = 0; i < x.Length; i++)
        {
            float expectedY = x[i] > 0 ? x[i] : 0f;
            float expectedDx = x[i] > 0 ? 1f : x[i] < 0 ? 0f : 0.5f;
            Assert.True(Math.Abs(y[i] - expectedY) <= 1e-30 + (1e-6 * Math.Abs(x[i])), $"GELU({x[i]}) = {y[i]}");
            // Exact GELU's derivative at −10 is −7.6e-22, which float holds; the tanh form's is 0 there.
            Assert.True(Math.Abs(dx[i] - expectedDx) <= 1e-20, $"GELU'({x[i]}) = {dx[i]}");
        }
    }

    [Fact]
    public void Sigmoid_and_tanh_should_saturate_without_nan_when_inputs_are_huge()
    {
        float[] x = [100f, -100f, 1e6f, -1e6f, float.MaxValue, -float.MaxValue];
        var y = new float[x.Length];
        Activation.Sigmoid.Forward(x, y);
        Assert.Equal([1f, 0f, 1f, 0f, 1f, 0f], y);
        Activation.Tanh.Forward(x, y);
        Assert.Equal([1f, -1f, 1f, -1f, 1f, -1f], y);
    }

    [Fact]
    public void Forward_should_throw_naming_y_when_lengths_differ()
    {
        var ex = Assert.Throws<ArgumentException>(() => Activation.Relu.Forward(new float[5], new float[4]));
        Assert.Equal("y", ex.ParamName);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Forward_should_throw_naming_y_when_it_partially_overlaps_x(ActivationKind kind, float slope)
    {
        var buffer = new float[40];
        var ex = Assert.Throws<ArgumentException>(
            () => new Activation(kind, slope).Forward(buffer.AsSpan(0, 20), buffer.AsSpan(3, 20)));
        Assert.Equal("y", ex.ParamName);
        Assert.Contains("overlaps", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dy")]
    [InlineData("y")]
    [InlineData("x")]
    public void Backward_should_throw_naming_dx_when_it_partially_overlaps_an_input(string overlapped)
    {
        var buffer = new float[40];
        var separate = new float[20];
        var x = overlapped == "x" ? buffer.AsSpan(0, 20) : separate;
        var y = overlapped == "y" ? buffer.AsSpan(0, 20) : new float[20];
        var dy = overlapped == "dy" ? buffer.AsSpan(0, 20) : new float[20];
        try
        {
            Activation.Gelu.Backward(x, y, dy, buffer.AsSpan(1, 20));
            Assert.Fail("expected an ArgumentException");
        }
        catch (ArgumentException ex)
        {
            Assert.Equal("dx", ex.ParamName);
        }
    }

    [Fact]
    public void Backward_should_throw_naming_the_span_whose_length_is_wrong()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Activation.Tanh.Backward([], new float[3], new float[4], new float[4])).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => Activation.Tanh.Backward([], new float[4], new float[4], new float[3])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Activation.Tanh.Backward(new float[3], new float[4], new float[4], new float[4])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Activation.Gelu.Backward(new float[3], new float[4], new float[4], new float[4])).ParamName);
    }

    [Fact]
    public void Forward_should_throw_when_the_kind_is_undefined()
    {
        var activation = new Activation((ActivationKind)99);
        Assert.Throws<InvalidOperationException>(() => activation.Forward(new float[2], new float[2]));
        Assert.Throws<InvalidOperationException>(() => activation.Backward(new float[2], new float[2], new float[2], new float[2]));
    }

    /// <summary>The textbook definitions, in float64.</summary>
    internal static double ReferenceForward(ActivationKind kind, double slope, double x) => kind switch
    {
        ActivationKind.Identity => x,
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        ActivationKind.Tanh => Math.Tanh(x),
        ActivationKind.Relu => Math.Max(x, 0),
        ActivationKind.LeakyRelu => x > 0 ? x : slope * x,
        ActivationKind.Gelu => 0.5 * x * (1 + Math.Tanh(GeluC * (x + (0.044715 * x * x * x)))),
        ActivationKind.GeluErf => x * NaiveErf.NormalCdf(x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The derivatives as one would write them from the definitions (GELU through tanh, not σ), times dy.</summary>
    internal static double ReferenceBackward(ActivationKind kind, double slope, double x, double y, double dy)
    {
        switch (kind)
        {
            case ActivationKind.Identity:
                return dy;
            case ActivationKind.Sigmoid:
                return dy * y * (1 - y);
            case ActivationKind.Tanh:
                return dy * (1 - (y * y));
            case ActivationKind.Relu:
                return y > 0 ? dy : 0;
            case ActivationKind.LeakyRelu:
                return x > 0 ? dy : slope * dy;
            case ActivationKind.Gelu:
                double t = Math.Tanh(GeluC * (x + (0.044715 * x * x * x)));
                return dy * ((0.5 * (1 + t)) + (0.5 * x * (1 - (t * t)) * GeluC * (1 + (3 * 0.044715 * x * x))));
            case ActivationKind.GeluErf:
                return dy * (NaiveErf.NormalCdf(x) + (x * NaiveErf.NormalDensity(x)));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
