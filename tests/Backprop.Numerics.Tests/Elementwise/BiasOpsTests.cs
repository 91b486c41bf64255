using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Elementwise;

public class BiasOpsTests
{
    private const int Seed = 20250303;

    [Fact]
    public void AddBias_should_match_float64_reference_for_every_shape()
    {
        var random = new RandomData(Seed);
        foreach (var (rows, cols) in Shapes.All())
        {
            var x = random.Uniform(rows * cols, -5f, 5f);
            var bias = random.Uniform(cols, -5f, 5f);
            var y = new float[x.Length];
            BiasOps.AddBias(rows, cols, x, bias, y);

            var expected = x.Select((v, i) => (double)v + bias[i % cols]).ToArray();
            var scales = x.Select((v, i) => (double)Math.Abs(v) + Math.Abs(bias[i % cols])).ToArray();
            Tolerance.AllClose(expected, y, scales, $"add bias, {random}, {rows}×{cols}");

            var inPlace = (float[])x.Clone();
            BiasOps.AddBias(rows, cols, inPlace, bias, inPlace);
            Assert.True(y.AsSpan().SequenceEqual(inPlace), $"add bias y = x, {random}, {rows}×{cols}");

            var matrix = (float[])x.Clone();
            BiasOps.AddBiasInPlace(rows, cols, bias, matrix);
            Assert.True(y.AsSpan().SequenceEqual(matrix), $"add bias in place, {random}, {rows}×{cols}");
        }
    }

    [Fact]
    public void AddBias_should_throw_naming_the_argument_whose_length_is_wrong()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => BiasOps.AddBias(2, 3, new float[5], new float[3], new float[6])).ParamName);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => BiasOps.AddBias(2, 3, new float[6], new float[2], new float[6])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => BiasOps.AddBias(2, 3, new float[6], new float[3], new float[7])).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => BiasOps.AddBiasInPlace(2, 3, new float[3], new float[7])).ParamName);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => BiasOps.AddBiasInPlace(2, 3, new float[4], new float[6])).ParamName);
    }

    [Fact]
    public void AddBias_should_throw_when_the_bias_overlaps_the_output_or_x_partially_overlaps_it()
    {
        var buffer = new float[20];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => BiasOps.AddBias(2, 3, new float[6], buffer.AsSpan(0, 3), buffer.AsSpan(2, 6))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => BiasOps.AddBias(2, 3, buffer.AsSpan(0, 6), new float[3], buffer.AsSpan(3, 6))).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => BiasOps.AddBiasInPlace(2, 3, buffer.AsSpan(0, 3), buffer.AsSpan(0, 6))).ParamName);
    }
}
