using Backprop.Cluster.Exchange;
using Backprop.Cluster.Sharding;
using Backprop.Nn.Parameters;

namespace Backprop.Cluster.Tests.Exchange;

public sealed class ShardPlanTests
{
    [Theory]
    [InlineData(10, 1)]
    [InlineData(10, 3)]
    [InlineData(235_146, 2)]
    [InlineData(7, 7)]
    public void The_shards_should_be_contiguous_nearly_equal_and_cover_every_parameter(int length, int shards)
    {
        var plan = new ShardPlan(length, shards);

        int next = 0;
        for (int shard = 0; shard < shards; shard++)
        {
            var (offset, count) = plan.Range(shard);
            Assert.Equal(next, offset);
            Assert.InRange(count, length / shards, (length / shards) + 1);
            Assert.Equal(shard, plan.ShardOf(offset));
            Assert.Equal(shard, plan.ShardOf(offset + count - 1));
            next = offset + count;
        }

        Assert.Equal(length, next);
        Assert.Equal(shards - 1, plan.Boundaries.Count);
    }

    [Fact]
    public void Cut_buckets_should_each_lie_in_one_shard_keep_the_send_order_and_cover_the_same_elements()
    {
        var layout = new ParameterLayout([784, 256, 128, 10]);
        var buckets = GradientBuckets.Plan(layout, bucketBytes: 1);
        var plan = new ShardPlan(layout.Length, 3);

        var cut = plan.Cut(buckets);

        Assert.Equal(layout.Length, cut.Covered);
        Assert.All(cut.InSendOrder, b => Assert.Equal(plan.ShardOf(b.Offset), plan.ShardOf(b.End - 1)));
        Assert.True(cut.InSendOrder.Count > buckets.InSendOrder.Count);

        // The pieces of a bucket follow one another where the bucket stood, with its layer.
        int position = 0;
        foreach (var bucket in buckets.InSendOrder)
        {
            int end = bucket.Offset;
            while (end < bucket.End)
            {
                var piece = cut.InSendOrder[position++];
                Assert.Equal((end, bucket.LowestLayer), (piece.Offset, piece.LowestLayer));
                end = piece.End;
            }

            Assert.Equal(bucket.End, end);
        }

        Assert.Equal(cut.InSendOrder.Count, position);
    }

    [Fact]
    public void A_shards_buckets_should_be_those_within_its_range()
    {
        var layout = new ParameterLayout([20, 8, 4]);
        var plan = new ShardPlan(layout.Length, 2);
        var cut = plan.Cut(GradientBuckets.Whole(layout.Length));

        var (offset, count) = plan.Range(1);
        var second = cut.Within(offset, count);

        Assert.Equal(count, second.Covered);
        Assert.Equal(layout.Length, second.Length);
        Assert.Equal(-1, second.IndexOf(0, 1));
        Assert.Equal(0, second.IndexOf(offset, count));
        Assert.Throws<ArgumentException>(() => GradientBuckets.Whole(layout.Length).Within(offset, count));
    }
}
