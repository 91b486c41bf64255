using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Elementwise;

public class SoftmaxOpsTests
{
    private const int Seed = 20250302;

    [Theory]
    [InlineData(4f)]
    [InlineData(80f)]
    public void Softmax_should_match_float64_reference_for_every_shape(float magnitude)
    {
        var random = new RandomData(Seed);
        foreach (var (rows, cols) in Shapes.All())
        {
            var x = random.Uniform(rows * cols, -magnitude, magnitude);
            var y = new float[x.Length];
            SoftmaxOps.Softmax(rows, cols, x, y);
            var (expected, scales) = ReferenceSoftmax(rows, cols, x);
            Tolerance.AllClose(expected, y, scales, $"softmax ±{magnitude}, {random}, {rows}×{cols}");
        }
    }

    [Theory]
    [InlineData(4f)]
    [InlineData(80f)]
    public void LogSoftmax_should_match_float64_reference_for_every_shape(float magnitude)
    {
        var random = new RandomData(Seed + 1);
        foreach (var (rows, cols) in Shapes.All())
        {
            var x = random.Uniform(rows * cols, -magnitude, magnitude);
            var y = new float[x.Length];
            SoftmaxOps.LogSoftmax(rows, cols, x, y);
            var (expected, scales) = ReferenceLogSoftmax(rows, cols, x);
            Tolerance.AllClose(expected, y, scales, $"log-softmax ±{magnitude}, {random}, {rows}×{cols}");
        }
    }

    [Fact]
    public void Softmax_should_stay_finite_and_normalised_when_logits_exceed_the_float_exp_range()
    {
        float[] x = [1000f, -1000f, 999f, 0f, -3e38f, 3e38f, 3e38f, 1f];
        var y = new float[x.Length];
        SoftmaxOps.Softmax(2, 4, x, y);
        double e = Math.Exp(-1);
        double[] expected = [1 / (1 + e), 0, e / (1 + e), 0, 0, 0.5, 0.5, 0];
        Tolerance.AllClose(expected, y, 1e-30, "softmax of huge logits");

        var logY = new float[x.Length];
        SoftmaxOps.LogSoftmax(2, 4, x, logY);
        Assert.All(logY, v => Assert.False(float.IsNaN(v)));
        Tolerance.Close(-Math.Log(1 + e), logY[0], 1000, "log-softmax of huge logits");
        Tolerance.Close(-Math.Log(2), logY[5], 3e38, "log-softmax of ±3e38");
    }

    [Fact]
    public void SoftmaxBackward_should_match_float64_reference_for_every_shape()
    {
        var random = new RandomData(Seed + 2);
        foreach (var (rows, cols) in Shapes.All())
        {
            var x = random.Uniform(rows * cols, -6f, 6f);
            var dy = random.Uniform(rows * cols, -2f, 2f);
            var y = new float[x.Length];
            SoftmaxOps.Softmax(rows, cols, x, y);
            var dx = new float[x.Length];
            SoftmaxOps.SoftmaxBackward(rows, cols, y, dy, dx);

            var expected = new double[x.Length];
            var scales = new double[x.Length];
            for (int r = 0; r < rows; r++)
            {
                double dot = 0, absDot = 0;
                for (int j = 0; j < cols; j++)
                {
                    dot += (double)y[(r * cols) + j] * dy[(r * cols) + j];
                    absDot += Math.Abs((double)y[(r * cols) + j] * dy[(r * cols) + j]);
                }

                for (int j = 0; j < cols; j++)
                {
                    int i = (r * cols) + j;
                    expected[i] = y[i] * (dy[i] - dot);
                    scales[i] = y[i] * (Math.Abs(dy[i]) + absDot);
                }
            }

            Tolerance.AllClose(expected, dx, scales, $"softmax backward, {random}, {rows}×{cols}");
        }
    }

    [Fact]
    public void LogSoftmaxBackward_should_match_float64_reference_for_every_shape()
    {
        var random = new RandomData(Seed + 3);
        foreach (var (rows, cols) in Shapes.All())
        {
            var x = random.Uniform(rows * cols, -6f, 6f);
            var dy = random.Uniform(rows * cols, -2f, 2f);
            var y = new float[x.Length];
            SoftmaxOps.LogSoftmax(rows, cols, x, y);
            var dx = new float[x.Length];
            SoftmaxOps.LogSoftmaxBackward(rows, cols, y, dy, dx);

            var expected = new double[x.Length];
            var scales = new double[x.Length];
            for (int r = 0; r < rows; r++)
            {
                double sum = 0, absSum = 0;
                for (int j = 0; j < cols; j++)
                {
                    sum += dy[(r * cols) + j];
                    absSum += Math.Abs(dy[(r * cols) + j]);
                }

                for (int j = 0; j < cols; j++)
                {
                    int i = (r * cols) + j;
                    double p = Math.Exp(y[i]);
                    expected[i] = dy[i] - (p * sum);
                    scales[i] = Math.Abs(dy[i]) + (p * absSum * (1 + Math.Abs(y[i])));
                }
            }

            Tolerance.AllClose(expected, dx, scales, $"log-softmax backward, {random}, {rows}×{cols}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Backward_should_match_central_differences_of_the_forward_formula(bool log)
    {
        var random = new RandomData(Seed + 4);
        foreach (int cols in new[] { 1, 2, 7, 17, 33 })
        {
            const int rows = 2;
            var x = random.Uniform(rows * cols, -5f, 5f);
            var dy = random.Uniform(rows * cols, -2f, 2f);
            var y = new float[x.Length];
            var dx = new float[x.Length];
            if (log)
            {
                SoftmaxOps.LogSoftmax(rows, cols, x, y);
                SoftmaxOps.LogSoftmaxBackward(rows, cols, y, dy, dx);
            }
            else
            {
                SoftmaxOps.Softmax(rows, cols, x, y);
                SoftmaxOps.SoftmaxBackward(rows, cols, y, dy, dx);
            }

            // L(x) = Σ dy ⊙ f(x), whose gradient is exactly what the backward pass computes.
            double Loss(double[] xs)
            {
                var (f, _) = log ? ReferenceLogSoftmax(rows, cols, xs) : ReferenceSoftmax(rows, cols, xs);
                return f.Select((v, i) => v * dy[i]).Sum();
            }

            var expected = FiniteDifference.Gradient(Loss, x.Select(v => (double)v).ToArray());
            double scale = dy.Sum(v => Math.Abs(v));
            Tolerance.AllClose(expected, dx, scale, $"{(log ? "log-" : string.Empty)}softmax backward vs central differences, {random}, 2×{cols}");
        }
    }

    [Fact]
    public void Softmax_rows_should_sum_to_one()
    {
        var random = new RandomData(Seed + 5);
        foreach (var (rows, cols) in Shapes.All())
        {
            var x = random.Uniform(rows * cols, -30f, 30f);
            var y = new float[x.Length];
            SoftmaxOps.Softmax(rows, cols, x, y);
            for (int r = 0; r < rows && cols > 0; r++)
            {
                double sum = y.AsSpan(r * cols, cols).ToArray().Sum(v => (double)v);
                Tolerance.Close(1.0, sum, 1.0, $"row {r} sum, {random}, {rows}×{cols}");
            }
        }
    }

    [Fact]
    public void Every_kernel_should_give_the_same_bits_when_output_aliases_an_input()
    {
        var random = new RandomData(Seed + 6);
        foreach (var (rows, cols) in Shapes.All())
        {
            var x = random.Uniform(rows * cols, -6f, 6f);
            var dy = random.Uniform(rows * cols, -2f, 2f);
            string context = $"{random}, {rows}×{cols}";

            var y = new float[x.Length];
            SoftmaxOps.Softmax(rows, cols, x, y);
            var inPlace = (float[])x.Clone();
            SoftmaxOps.Softmax(rows, cols, inPlace, inPlace);
            Assert.True(y.AsSpan().SequenceEqual(inPlace), $"softmax in place, {context}");

            var dx = new float[x.Length];
            SoftmaxOps.SoftmaxBackward(rows, cols, y, dy, dx);
            var dxOnDy = (float[])dy.Clone();
            SoftmaxOps.SoftmaxBackward(rows, cols, y, dxOnDy, dxOnDy);
            Assert.True(dx.AsSpan().SequenceEqual(dxOnDy), $"softmax backward dx = dy, {context}");
            var dxOnY = (float[])y.Clone();
            SoftmaxOps.SoftmaxBackward(rows, cols, dxOnY, dy, dxOnY);
            Assert.True(dx.AsSpan().SequenceEqual(dxOnY), $"softmax backward dx = y, {context}");

            var logY = new float[x.Length];
            SoftmaxOps.LogSoftmax(rows, cols, x, logY);
            var logInPlace = (float[])x.Clone();
            SoftmaxOps.LogSoftmax(rows, cols, logInPlace, logInPlace);
            Assert.True(logY.AsSpan().SequenceEqual(logInPlace), $"log-softmax in place, {context}");

            SoftmaxOps.LogSoftmaxBackward(rows, cols, logY, dy, dx);
            var logDxOnDy = (float[])dy.Clone();
            SoftmaxOps.LogSoftmaxBackward(rows, cols, logY, logDxOnDy, logDxOnDy);
            Assert.True(dx.AsSpan().SequenceEqual(logDxOnDy), $"log-softmax backward dx = dy, {context}");
        }
    }

    [Fact]
    public void Kernels_should_throw_naming_the_argument_whose_length_is_wrong()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SoftmaxOps.Softmax(2, 3, new float[5], new float[6])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SoftmaxOps.LogSoftmax(2, 3, new float[6], new float[7])).ParamName);
        Assert.Equal("dy", Assert.Throws<ArgumentException>(() => SoftmaxOps.SoftmaxBackward(2, 3, new float[6], new float[5], new float[6])).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => SoftmaxOps.LogSoftmaxBackward(2, 3, new float[6], new float[6], new float[5])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxOps.Softmax(-1, 3, [], [])).ParamName);
        Assert.Equal("cols", Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxOps.Softmax(1, -3, [], [])).ParamName);
    }

    [Fact]
    public void Kernels_should_throw_when_output_partially_overlaps_an_input()
    {
        var buffer = new float[20];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SoftmaxOps.Softmax(2, 4, buffer.AsSpan(0, 8), buffer.AsSpan(4, 8))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SoftmaxOps.LogSoftmax(2, 4, buffer.AsSpan(4, 8), buffer.AsSpan(0, 8))).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => SoftmaxOps.SoftmaxBackward(2, 4, new float[8], buffer.AsSpan(0, 8), buffer.AsSpan(1, 8))).ParamName);
        Assert.Equal("dx", Assert.Throws<ArgumentException>(() => SoftmaxOps.LogSoftmaxBackward(2, 4, buffer.AsSpan(0, 8), new float[8], buffer.AsSpan(1, 8))).ParamName);
    }

    /// <summary>
    /// Softmax in float64, and per element the scale of its error: exp(x − m) has condition number |x − m|, and the
    /// float kernel rounds x − m, so the budget grows with it; 1e-30 lets values that underflow in float compare in
    /// absolute terms.
    /// </summary>
    internal static (double[] Y, double[] Scale) ReferenceSoftmax(int rows, int cols, IReadOnlyList<float> x) =>
        ReferenceSoftmax(rows, cols, x.Select(v => (double)v).ToArray());

    internal static (double[] Y, double[] Scale) ReferenceSoftmax(int rows, int cols, double[] x)
    {
        var y = new double[x.Length];
        var scale = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (double v in row)
            {
                max = Math.Max(max, v);
            }

            double sum = 0;
            foreach (double v in row)
            {
                sum += Math.Exp(v - max);
            }

            for (int j = 0; j < cols; j++)
            {
                double p = Math.Exp(row[j] - max) / sum;
                y[(r * cols) + j] = p;
                scale[(r * cols) + j] = (p * (1 + Math.Abs(row[j] - max))) + 1e-30;
            }
        }

        return (y, scale);
    }

    /// <summary>Log-softmax in float64; the scale is |x| + |log Σ e^x|, the magnitudes subtracted.</summary>
    internal static (double[] Y, double[] Scale) ReferenceLogSoftmax(int rows, int cols, IReadOnlyList<float> x) =>
        ReferenceLogSoftmax(rows, cols, x.Select(v => (double)v).ToArray());

    internal static (double[] Y, double[] Scale) ReferenceLogSoftmax(int rows, int cols, double[] x)
    {
        var y = new double[x.Length];
        var scale = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * cols, cols);
            double max = double.NegativeInfinity;
            foreach (double v in row)
            {
                max = Math.Max(max, v);
            }

            double sum = 0;
            foreach (double v in row)
            {
                sum += Math.Exp(v - max);
            }

            double logSumExp = max + Math.Log(sum);
            for (int j = 0; j < cols; j++)
            {
                y[(r * cols) + j] = row[j] - logSumExp;
                scale[(r * cols) + j] = Math.Abs(row[j]) + Math.Abs(logSumExp);
            }
        }

        return (y, scale);
    }
}
