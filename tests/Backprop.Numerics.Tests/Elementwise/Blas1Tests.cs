using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Elementwise;

public class Blas1Tests
{
    private const int Seed = 20250304;
    private const int MaxLength = 256;

    [Fact]
    public void Axpy_should_match_float64_reference_for_every_length()
    {
        var random = new RandomData(Seed);
        for (int n = 0; n <= MaxLength; n++)
        {
            float alpha = random.Next(-3f, 3f);
            var x = random.Uniform(n, -4f, 4f);
            var y = random.Uniform(n, -4f, 4f);
            var expected = y.Select((v, i) => v + ((double)alpha * x[i])).ToArray();
            var scales = y.Select((v, i) => Math.Abs(v) + Math.Abs((double)alpha * x[i])).ToArray();
            Blas1.Axpy(alpha, x, y);
            Tolerance.AllClose(expected, y, scales, $"axpy, {random}, length {n}");

            var self = (float[])x.Clone();
            Blas1.Axpy(alpha, self, self);
            Tolerance.AllClose(x.Select(v => (1 + (double)alpha) * v).ToArray(), self, x.Select(v => 4.0 * Math.Abs(v)).ToArray(), $"axpy y = x, {random}, length {n}");
        }
    }

    [Fact]
    public void Scale_should_match_float64_reference_for_every_length()
    {
        var random = new RandomData(Seed + 1);
        for (int n = 0; n <= MaxLength; n++)
        {
            float alpha = random.Next(-3f, 3f);
            var x = random.Uniform(n, -4f, 4f);
            var expected = x.Select(v => (double)alpha * v).ToArray();
            var destination = new float[n];
            Blas1.Scale(x, alpha, destination);
            Tolerance.AllClose(expected, destination, 0, $"scale, {random}, length {n}");

            Blas1.ScaleInPlace(x, alpha);
            Assert.True(destination.AsSpan().SequenceEqual(x), $"scale in place, {random}, length {n}");
        }
    }

    [Fact]
    public void Copy_should_copy_every_element_for_every_length()
    {
        var random = new RandomData(Seed + 2);
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = random.Uniform(n, -4f, 4f);
            var destination = new float[n];
            Blas1.Copy(x, destination);
            Assert.Equal(x, destination);
            Blas1.Copy(destination, destination);
            Assert.Equal(x, destination);
        }
    }

    [Fact]
    public void Reductions_should_match_float64_reference_for_every_length()
    {
        var random = new RandomData(Seed + 3);
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = random.Uniform(n, -4f, 4f);
            var y = random.Uniform(n, -4f, 4f);
            string context = $"{random}, length {n}";
            Tolerance.Close(x.Zip(y, (a, b) => (double)a * b).Sum(), Blas1.Dot(x, y), x.Zip(y, (a, b) => Math.Abs((double)a * b)).Sum(), $"dot, {context}");
            Tolerance.Close(x.Sum(v => (double)v * v), Blas1.SumOfSquares(x), 0, $"sum of squares, {context}");
            Tolerance.Close(x.Sum(v => (double)v), Blas1.Sum(x), x.Sum(v => Math.Abs((double)v)), $"sum, {context}");
        }
    }

    [Fact]
    public void SumOfSquares_and_Dot_should_stay_accurate_over_a_million_elements()
    {
        var random = new RandomData(Seed + 4);
        const int n = 1_000_003;
        var x = random.Uniform(n, -1f, 1f);
        var y = random.Uniform(n, -1f, 1f);

        double sumOfSquares = 0, dot = 0, absDot = 0;
        for (int i = 0; i < n; i++)
        {
            sumOfSquares += (double)x[i] * x[i];
            dot += (double)x[i] * y[i];
            absDot += Math.Abs((double)x[i] * y[i]);
        }

        // Plain float accumulation would be off by about √n·ε relative at best; blocked double keeps the policy.
        Tolerance.Close(sumOfSquares, Blas1.SumOfSquares(x), 0, $"sum of squares of 1e6, {random}");
        Tolerance.Close(dot, Blas1.Dot(x, y), absDot, $"dot of 1e6, {random}");
        Tolerance.Close(x.Sum(v => (double)v), Blas1.Sum(x), x.Sum(v => Math.Abs((double)v)), $"sum of 1e6, {random}");
    }

    [Fact]
    public void Kernels_should_throw_naming_the_argument_whose_length_is_wrong()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Blas1.Axpy(1f, new float[3], new float[4])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Blas1.Scale(new float[3], 1f, new float[4])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Blas1.Copy(new float[3], new float[2])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Blas1.Dot(new float[3], new float[2])).ParamName);
    }

    [Fact]
    public void Kernels_should_throw_when_the_output_partially_overlaps_the_input()
    {
        var buffer = new float[20];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Blas1.Axpy(1f, buffer.AsSpan(0, 8), buffer.AsSpan(1, 8))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Blas1.Scale(buffer.AsSpan(2, 8), 1f, buffer.AsSpan(0, 8))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Blas1.Copy(buffer.AsSpan(0, 8), buffer.AsSpan(4, 8))).ParamName);
    }
}
