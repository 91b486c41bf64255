using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Wire;

public sealed class TensorSlicingTests
{
    public static TheoryData<int, int> Buffers() => new()
    {
        { 0, 120_000 }, { 1, 120_000 }, { 29_999, 120_000 }, { 30_000, 120_000 }, { 30_001, 120_000 },
        { 235_146, 120_000 }, { 10, 4 }, { 10, 7 }, { 1_000, 1_000 }, { 1_001, 1_000 },
    };

    [Fact]
    public void Default_slice_should_hold_30000_floats_under_akkas_default_frame()
    {
        Assert.Equal(30_000, TensorSlicing.FloatsPerSlice());
        Assert.True(TensorSlicing.DefaultMaxBytes < WireSizes.DefaultMaximumFrameSize - WireSizes.EnvelopeAllowance);
    }

    [Theory]
    [MemberData(nameof(Buffers))]
    public void Ranges_should_cover_the_buffer_exactly_once_in_order_within_the_byte_budget(int totalLength, int maxBytes)
    {
        var ranges = TensorSlicing.Ranges(totalLength, maxBytes);

        Assert.Equal(TensorSlicing.SliceCount(totalLength, maxBytes), ranges.Count);
        int next = 0;
        foreach (var (offset, count) in ranges)
        {
            Assert.Equal(next, offset);
            Assert.InRange(count, 1, maxBytes / sizeof(float));
            next = offset + count;
        }

        Assert.Equal(totalLength, next);
    }

    [Fact]
    public void Ranges_should_be_full_slices_with_the_remainder_last()
    {
        Assert.Equal([(0, 30_000), (30_000, 30_000), (60_000, 5)], TensorSlicing.Ranges(60_005));
        Assert.Equal((60_000, 5), TensorSlicing.Range(60_005, 2));
    }

    [Fact]
    public void Slicing_should_throw_when_arguments_are_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorSlicing.FloatsPerSlice(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorSlicing.SliceCount(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorSlicing.Range(100, 1, 400));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorSlicing.Range(100, -1));
    }

    [Fact]
    public void Cut_should_copy_the_range_into_a_pooled_slice_of_the_whole_buffer()
    {
        float[] buffer = [.. Enumerable.Range(1, 100).Select(i => (float)i)];

        var slice = TensorSlicing.Cut(buffer, 40, 25);

        Assert.Equal((100, 40, 25), (slice.TotalLength, slice.Offset, slice.Count));
        Assert.Equal(buffer[40..65], slice.Values.ToArray());
        Assert.NotSame(buffer, slice.Data);
        slice.Release();
    }
}
