using Backprop.Numerics.Reductions;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Reductions;

public class MatrixReductionsTests
{
    private const int Seed = 20250306;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ColumnSums_should_match_float64_reference_for_every_shape(bool accumulate)
    {
        var random = new RandomData(Seed + (accumulate ? 1 : 0));
        foreach (var (rows, cols) in Shapes.All().Append((64, 33)).Append((300, 17)))
        {
            var x = random.Uniform(rows * cols, -5f, 5f);
            var sums = random.Uniform(cols, -5f, 5f);
            var expected = new double[cols];
            var scales = new double[cols];
            for (int j = 0; j < cols; j++)
            {
                expected[j] = accumulate ? sums[j] : 0;
                scales[j] = Math.Abs(expected[j]);
                for (int r = 0; r < rows; r++)
                {
                    expected[j] += x[(r * cols) + j];
                    scales[j] += Math.Abs(x[(r * cols) + j]);
                }
            }

            MatrixReductions.ColumnSums(rows, cols, x, accumulate, sums);
            Tolerance.AllClose(expected, sums, scales, $"column sums (accumulate {accumulate}), {random}, {rows}×{cols}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RowSums_should_match_float64_reference_for_every_shape(bool accumulate)
    {
        var random = new RandomData(Seed + 2 + (accumulate ? 1 : 0));
        foreach (var (rows, cols) in Shapes.All().Append((2, 5000)))
        {
            var x = random.Uniform(rows * cols, -5f, 5f);
            var sums = random.Uniform(rows, -5f, 5f);
            var expected = new double[rows];
            var scales = new double[rows];
            for (int r = 0; r < rows; r++)
            {
                expected[r] = accumulate ? sums[r] : 0;
                scales[r] = Math.Abs(expected[r]);
                for (int j = 0; j < cols; j++)
                {
                    expected[r] += x[(r * cols) + j];
                    scales[r] += Math.Abs(x[(r * cols) + j]);
                }
            }

            MatrixReductions.RowSums(rows, cols, x, accumulate, sums);
            Tolerance.AllClose(expected, sums, scales, $"row sums (accumulate {accumulate}), {random}, {rows}×{cols}");
        }
    }

    [Fact]
    public void Sums_should_throw_naming_the_argument_whose_length_is_wrong()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => MatrixReductions.ColumnSums(2, 3, new float[5], false, new float[3])).ParamName);
        Assert.Equal("sums", Assert.Throws<ArgumentException>(() => MatrixReductions.ColumnSums(2, 3, new float[6], false, new float[2])).ParamName);
        Assert.Equal("sums", Assert.Throws<ArgumentException>(() => MatrixReductions.RowSums(2, 3, new float[6], true, new float[3])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => MatrixReductions.RowSums(-2, 3, [], true, [])).ParamName);
    }

    [Fact]
    public void Sums_should_throw_when_the_output_overlaps_the_matrix()
    {
        var buffer = new float[20];
        Assert.Equal("sums", Assert.Throws<ArgumentException>(() => MatrixReductions.ColumnSums(2, 3, buffer.AsSpan(0, 6), true, buffer.AsSpan(5, 3))).ParamName);
        Assert.Equal("sums", Assert.Throws<ArgumentException>(() => MatrixReductions.RowSums(2, 3, buffer.AsSpan(0, 6), true, buffer.AsSpan(0, 2))).ParamName);
    }
}
