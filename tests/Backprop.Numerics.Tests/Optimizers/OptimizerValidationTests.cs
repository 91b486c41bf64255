using Backprop.Numerics.Optimizers;

namespace Backprop.Numerics.Tests.Optimizers;

public class OptimizerValidationTests
{
    [Fact]
    public void Kernels_should_throw_naming_the_buffer_whose_length_is_wrong()
    {
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => OptimizerKernels.Sgd(new float[4], new float[3], 0.1f)).ParamName);
        Assert.Equal("velocity", Assert.Throws<ArgumentException>(() => OptimizerKernels.SgdMomentum(new float[4], new float[4], new float[5], 0.1f, 0.9f)).ParamName);
        Assert.Equal("secondMoment", Assert.Throws<ArgumentException>(() => OptimizerKernels.Adam(new float[4], new float[4], new float[4], new float[3], 0.1f, 1)).ParamName);
        Assert.Equal("firstMoment", Assert.Throws<ArgumentException>(() => OptimizerKernels.AdamW(new float[4], new float[4], [], new float[4], 0.1f, 1)).ParamName);
        Assert.Equal("squareAverage", Assert.Throws<ArgumentException>(() => OptimizerKernels.RmsProp(new float[4], new float[4], new float[3], [], [], 0.1f)).ParamName);
        Assert.Equal("sumOfSquares", Assert.Throws<ArgumentException>(() => OptimizerKernels.AdaGrad(new float[4], new float[4], new float[3], 0.1f, 1)).ParamName);
    }

    [Fact]
    public void RmsProp_should_require_the_optional_buffers_only_when_their_feature_is_on()
    {
        OptimizerKernels.RmsProp(new float[4], new float[4], new float[4], [], [], 0.1f);
        Assert.Equal("momentumBuffer", Assert.Throws<ArgumentException>(() => OptimizerKernels.RmsProp(new float[4], new float[4], new float[4], [], [], 0.1f, momentum: 0.9f)).ParamName);
        Assert.Equal("gradientAverage", Assert.Throws<ArgumentException>(() => OptimizerKernels.RmsProp(new float[4], new float[4], new float[4], [], [], 0.1f, centered: true)).ParamName);
    }

    [Fact]
    public void Kernels_should_throw_when_two_buffers_overlap()
    {
        var buffer = new float[40];
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => OptimizerKernels.Sgd(buffer.AsSpan(0, 8), buffer.AsSpan(4, 8), 0.1f)).ParamName);
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => OptimizerKernels.Sgd(buffer.AsSpan(0, 8), buffer.AsSpan(0, 8), 0.1f)).ParamName);
        Assert.Equal("velocity", Assert.Throws<ArgumentException>(() => OptimizerKernels.SgdMomentum(buffer.AsSpan(0, 8), new float[8], buffer.AsSpan(7, 8), 0.1f, 0.9f)).ParamName);
        Assert.Equal("secondMoment", Assert.Throws<ArgumentException>(() => OptimizerKernels.Adam(new float[8], new float[8], buffer.AsSpan(0, 8), buffer.AsSpan(0, 8), 0.1f, 1)).ParamName);
        Assert.Equal("firstMoment", Assert.Throws<ArgumentException>(() => OptimizerKernels.Adam(new float[8], buffer.AsSpan(0, 8), buffer.AsSpan(1, 8), new float[8], 0.1f, 1)).ParamName);
        Assert.Equal("gradientAverage", Assert.Throws<ArgumentException>(() => OptimizerKernels.RmsProp(new float[8], new float[8], buffer.AsSpan(0, 8), buffer.AsSpan(8, 8), buffer.AsSpan(12, 8), 0.1f, momentum: 0.9f, centered: true)).ParamName);
        Assert.Equal("sumOfSquares", Assert.Throws<ArgumentException>(() => OptimizerKernels.AdaGrad(buffer.AsSpan(0, 8), new float[8], buffer.AsSpan(2, 8), 0.1f, 1)).ParamName);
    }

    [Fact]
    public void Kernels_should_throw_naming_the_hyperparameter_that_is_out_of_range()
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.Sgd(new float[2], new float[2], -0.1f)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.Sgd(new float[2], new float[2], float.NaN)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.Sgd(new float[2], new float[2], 0.1f, weightDecay: -1f)).ParamName);
        Assert.Equal("gradScale", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.Sgd(new float[2], new float[2], 0.1f, gradScale: float.PositiveInfinity)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.SgdMomentum(new float[2], new float[2], new float[2], 0.1f, -0.5f)).ParamName);
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => OptimizerKernels.SgdMomentum(new float[2], new float[2], new float[2], 0.1f, 0f, nesterov: true)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.Adam(new float[2], new float[2], new float[2], new float[2], 0.1f, 0)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.Adam(new float[2], new float[2], new float[2], new float[2], 0.1f, 1, beta1: 1)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.AdamW(new float[2], new float[2], new float[2], new float[2], 0.1f, 1, beta2: -0.1)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.AdamW(new float[2], new float[2], new float[2], new float[2], 0.1f, 1, epsilon: -1e-8f)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.RmsProp(new float[2], new float[2], new float[2], [], [], 0.1f, alpha: -0.5)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.AdaGrad(new float[2], new float[2], new float[2], 0.1f, 0)).ParamName);
        Assert.Equal("learningRateDecay", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerKernels.AdaGrad(new float[2], new float[2], new float[2], 0.1f, 1, learningRateDecay: -1f)).ParamName);
    }

    [Fact]
    public void Kernels_should_accept_empty_buffers()
    {
        OptimizerKernels.Sgd([], [], 0.1f);
        OptimizerKernels.SgdMomentum([], [], [], 0.1f, 0.9f, nesterov: true);
        OptimizerKernels.Adam([], [], [], [], 0.1f, 1);
        OptimizerKernels.AdamW([], [], [], [], 0.1f, 1);
        OptimizerKernels.RmsProp([], [], [], [], [], 0.1f, momentum: 0.9f, centered: true);
        OptimizerKernels.AdaGrad([], [], [], 0.1f, 1);
    }
}
