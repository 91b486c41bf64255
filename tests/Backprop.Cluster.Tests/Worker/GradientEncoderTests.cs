using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Tests.Wire;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Tests.Worker;

/// <summary>
/// What a worker sends for each compression: dense encodings borrow the gradient and only name their
/// encoding; top-k sends its picked values sparse, keeps the rest for the next step, and loses nothing
/// on the way through the serializer.
/// </summary>
public sealed class GradientEncoderTests
{
    private const int Seed = 20260314;

    [Theory]
    [InlineData(WireCompression.None, TensorEncoding.Fp32)]
    [InlineData(WireCompression.Bf16, TensorEncoding.Bf16)]
    [InlineData(WireCompression.Fp16, TensorEncoding.Fp16)]
    public void A_dense_compression_should_borrow_the_gradient_and_name_its_encoding(WireCompression compression, TensorEncoding expected)
    {
        float[] gradient = Gradient(new Random(Seed), 1_000);
        var encoder = new GradientEncoder(new ExchangeSettings { Compression = compression }, gradient.Length);

        var slice = encoder.Encode(gradient, 200, 300);

        Assert.Same(gradient, slice.Data);
        Assert.Equal((1_000, 200, 300, 200, false, expected), (slice.TotalLength, slice.Offset, slice.Count, slice.Start, slice.Pooled, slice.Encoding));
        Assert.True(slice.Indices.IsEmpty);
    }

    [Fact]
    public void A_top_k_slice_should_arrive_as_the_picked_sums_with_the_rest_kept_for_the_next_step()
    {
        var random = new Random(Seed + 1);
        const int length = 100_000;
        var encoder = new GradientEncoder(new ExchangeSettings { Compression = WireCompression.TopK, TopKRatio = 0.01 }, length);
        var ranges = TensorSlicing.Ranges(length);
        for (int step = 0; step < 3; step++)
        {
            float[] gradient = Gradient(random, length);
            float[] before = encoder.Residual.ToArray();
            foreach (var (offset, count) in ranges)
            {
                var slice = encoder.Encode(gradient, offset, count);
                Assert.Equal(TensorEncoding.Sparse, slice.Encoding);
                Assert.Equal(GradientEncoder.KeptCount(count, 0.01), slice.Indices.Length);

                var received = RoundTrip(slice);
                for (int i = 0; i < count; i++)
                {
                    // Bit for bit: what arrived plus what stays is what was there to send.
                    float sum = gradient[offset + i] + before[offset + i];
                    float residual = encoder.Residual[offset + i];
                    Assert.Equal(BitConverter.SingleToUInt32Bits(sum), BitConverter.SingleToUInt32Bits(received[i] == 0 ? residual : received[i]));
                    Assert.True(received[i] == 0 || residual == 0, $"step {step}: position {offset + i} both sent and kept");
                }
            }
        }
    }

    [Fact]
    public void A_top_k_range_should_travel_as_float32_when_sparse_would_not_be_smaller()
    {
        float[] gradient = Gradient(new Random(Seed + 2), 1_000);
        var encoder = new GradientEncoder(new ExchangeSettings { Compression = WireCompression.TopK, TopKRatio = 0.5 }, gradient.Length);

        var slice = encoder.Encode(gradient, 0, 1_000);

        Assert.Equal(TensorEncoding.Fp32, slice.Encoding);
        Assert.True(slice.Indices.IsEmpty);
        Assert.Equal(500, slice.Values.ToArray().Count(v => v != 0));
        Assert.Equal(500, encoder.Residual.ToArray().Count(v => v != 0));
    }

    [Fact]
    public void A_top_k_slice_should_keep_at_least_what_a_receiver_accepts()
    {
        float[] gradient = Gradient(new Random(Seed + 3), 30_000);
        var encoder = new GradientEncoder(new ExchangeSettings { Compression = WireCompression.TopK, TopKRatio = 0.0001 }, gradient.Length);

        var slice = encoder.Encode(gradient, 0, 30_000);

        // The ratio alone would keep 3 of 30,000; the receiver accepts no fewer than one per 1,024.
        Assert.Equal(30, slice.Indices.Length);
        RoundTrip(slice);
    }

    [Fact]
    public void A_top_k_encoder_should_refuse_a_gradient_of_another_length()
    {
        var encoder = new GradientEncoder(new ExchangeSettings { Compression = WireCompression.TopK }, 100);

        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => encoder.Encode(new float[99], 0, 10)).ParamName);
    }

    private static float[] RoundTrip(TensorSlice slice)
    {
        var message = new ParameterServerProtocol.Gradient("job-1", 1, 0, 8, 1.5, 3, slice);
        var back = (ParameterServerProtocol.Gradient)WireFormat.Deserialize(WireFormat.Serialize(message), WireFormat.Manifest(message));
        WireAssert.SliceEqual(slice, back.Slice);
        float[] values = back.Slice.Values.ToArray();
        back.Slice.Release();
        return values;
    }

    private static float[] Gradient(Random random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 0))))];
}
