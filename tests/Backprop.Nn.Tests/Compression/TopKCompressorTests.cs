using Backprop.Nn.Compression;

namespace Backprop.Nn.Tests.Compression;

/// <summary>
/// Error feedback must lose nothing: at every step what is sent plus the new residual is exactly the
/// fresh gradient plus the old residual, the sent values are the largest, and the same inputs give
/// the same choice.
/// </summary>
public sealed class TopKCompressorTests
{
    private const int Seed = 20260313;

    [Fact]
    public void A_top_k_step_should_send_the_largest_sums_and_keep_the_rest_exactly_as_the_residual()
    {
        var random = new Random(Seed);
        const int length = 10_000;
        var compressor = new TopKCompressor(length);
        (int Offset, int Count)[] ranges = [(0, 3_000), (3_000, 6_999), (9_999, 1)];
        for (int step = 0; step < 5; step++)
        {
            float[] gradient = Gradient(random, length);
            foreach (var (offset, count) in ranges)
            {
                float[] before = compressor.Residual.Slice(offset, count).ToArray();
                int k = TopKCompressor.KeptCount(count, 0.01);
                var indices = new int[k];
                var sent = new float[count];

                compressor.Compress(gradient.AsSpan(offset, count), offset, indices, sent);

                var residual = compressor.Residual.Slice(offset, count);
                var picked = indices.ToHashSet();
                float[] sums = [.. Enumerable.Range(0, count).Select(i => gradient[offset + i] + before[i])];
                for (int i = 0; i < count; i++)
                {
                    // One of the two is zero, so the identity is exact: the sum's bits end up whole on one side.
                    (float kept, float gone) = picked.Contains(i) ? (sent[i], residual[i]) : (residual[i], sent[i]);
                    Assert.Equal(BitConverter.SingleToUInt32Bits(sums[i]), BitConverter.SingleToUInt32Bits(kept));
                    Assert.Equal(0u, BitConverter.SingleToUInt32Bits(gone));
                }

                float smallestSent = indices.Min(i => Math.Abs(sums[i]));
                float largestKept = Enumerable.Range(0, count).Where(i => !picked.Contains(i)).Select(i => Math.Abs(sums[i])).DefaultIfEmpty(0).Max();
                Assert.True(smallestSent >= largestKept, $"step {step}, range {offset}: sent {smallestSent} while keeping {largestKept}");
                Assert.True(indices.Zip(indices.Skip(1)).All(p => p.First < p.Second), "indices increase");
            }
        }
    }

    [Fact]
    public void A_top_k_residual_should_carry_every_unsent_value_into_later_steps()
    {
        // With k = 1 of 4 and the same gradient every step, each position's accumulated value grows
        // until it is sent: after enough steps every position has been sent at least once.
        var compressor = new TopKCompressor(4);
        float[] gradient = [1f, 0.5f, 0.25f, 0.125f];
        var sentTotal = new double[4];
        for (int step = 0; step < 40; step++)
        {
            var indices = new int[1];
            var sent = new float[4];
            compressor.Compress(gradient, 0, indices, sent);
            for (int i = 0; i < 4; i++)
            {
                sentTotal[i] += sent[i];
            }
        }

        // Sent so far plus still held is everything computed: 40 steps of each gradient value.
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(40.0 * gradient[i], sentTotal[i] + compressor.Residual[i], 6);
            Assert.True(sentTotal[i] > 0, $"position {i} was never sent");
        }
    }

    [Fact]
    public void A_top_k_compressor_should_choose_the_same_way_for_the_same_inputs()
    {
        var first = Run(new Random(Seed + 1));
        var second = Run(new Random(Seed + 1));

        Assert.Equal(first.Indices, second.Indices);
        Assert.Equal(first.Sent, second.Sent);

        static (int[] Indices, float[] Sent) Run(Random random)
        {
            var compressor = new TopKCompressor(2_000);
            var indices = new int[40];
            var sent = new float[2_000];
            for (int step = 0; step < 3; step++)
            {
                compressor.Compress(Gradient(random, 2_000), 0, indices, sent);
            }

            return (indices, sent);
        }
    }

    [Theory]
    [InlineData(0, 0.01, 0)]
    [InlineData(1, 0.01, 1)]
    [InlineData(99, 0.01, 1)]
    [InlineData(101, 0.01, 2)]
    [InlineData(30_000, 0.01, 300)]
    [InlineData(3_716_106, 0.01, 37_162)]
    [InlineData(7, 1.0, 7)]
    public void Kept_count_should_be_the_ceiling_of_the_ratio_at_least_one(int count, double ratio, int expected)
    {
        Assert.Equal(expected, TopKCompressor.KeptCount(count, ratio));
    }

    [Fact]
    public void Reset_should_zero_the_residual()
    {
        var compressor = new TopKCompressor(8);
        compressor.Compress([1, 2, 3, 4, 5, 6, 7, 8], 0, new int[2], new float[8]);
        Assert.Contains(compressor.Residual.ToArray(), v => v != 0);

        compressor.Reset();

        Assert.All(compressor.Residual.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Compress_should_throw_when_the_range_or_buffers_do_not_fit()
    {
        var compressor = new TopKCompressor(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => compressor.Compress(new float[4], 7, new int[1], new float[4]));
        Assert.Equal("sent", Assert.Throws<ArgumentException>(() => compressor.Compress(new float[4], 0, new int[1], new float[3])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => TopKCompressor.KeptCount(10, 0));
    }

    private static float[] Gradient(Random random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-4, 1))))];
}
