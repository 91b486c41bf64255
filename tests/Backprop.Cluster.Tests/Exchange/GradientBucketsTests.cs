using Backprop.Cluster.Exchange;
using Backprop.Nn.Parameters;

namespace Backprop.Cluster.Tests.Exchange;

/// <summary>The bucket plan both sides derive: whole layers from the last down, then the biases, covering every parameter once.</summary>
public sealed class GradientBucketsTests
{
    // 784-2048-1024-10: weights 1,605,632 + 2,097,152 + 10,240, then 3,082 biases.
    private static readonly ParameterLayout Large = new([784, 2048, 1024, 10]);

    [Fact]
    public void No_bucket_size_should_give_the_whole_gradient_as_one_bucket()
    {
        var plan = GradientBuckets.Plan(Large, 0);

        Assert.False(plan.Bucketed);
        Assert.Equal([new GradientBucket(0, Large.Length, 0)], plan.InSendOrder);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(4 * 1024 * 1024)]
    [InlineData(16 * 1024 * 1024)]
    [InlineData(512_000_000)]
    public void Buckets_should_cover_every_parameter_once_in_whole_layers_last_layer_first(int bucketBytes)
    {
        var plan = GradientBuckets.Plan(Large, bucketBytes);

        var covered = new int[Large.Length];
        foreach (var bucket in plan.InSendOrder)
        {
            for (int i = bucket.Offset; i < bucket.End; i++)
            {
                covered[i]++;
            }
        }

        Assert.All(covered, c => Assert.Equal(1, c));
        var weights = plan.InSendOrder.SkipLast(1).ToList();
        Assert.Equal(Large.WeightCount, weights[0].End);
        Assert.All(weights, w => Assert.Equal(Large.Weight(w.LowestLayer).Offset, w.Offset));
        Assert.Equal(weights.Select(w => w.LowestLayer).OrderByDescending(l => l), weights.Select(w => w.LowestLayer));

        // Every bucket but the one that reaches the first layer holds at least the bucket size.
        Assert.All(weights.Where(w => w.LowestLayer > 0), w => Assert.True((long)w.Count * sizeof(float) >= bucketBytes));
        Assert.Equal(new GradientBucket(Large.WeightCount, Large.Length - Large.WeightCount, 0), plan.InSendOrder[^1]);
    }

    [Fact]
    public void One_byte_should_give_each_layer_its_own_bucket()
    {
        var plan = GradientBuckets.Plan(Large, 1);

        Assert.Equal([2, 1, 0, 0], plan.InSendOrder.Select(b => b.LowestLayer));
        Assert.Equal(Large.Weight(2).Length, plan.InSendOrder[0].Count);
    }

    [Fact]
    public void A_range_should_be_found_in_its_bucket_and_one_across_an_edge_in_none()
    {
        var plan = GradientBuckets.Plan(Large, 1);
        int edge = Large.Weight(1).Offset;

        Assert.Equal(2, plan.IndexOf(0, 10));
        Assert.Equal(1, plan.IndexOf(edge, Large.Weight(1).Length));
        Assert.Equal(3, plan.IndexOf(Large.Length - 1, 1));
        Assert.Equal(-1, plan.IndexOf(edge - 5, 10));
        Assert.Equal(-1, plan.IndexOf(Large.Length, 1));
    }
}
