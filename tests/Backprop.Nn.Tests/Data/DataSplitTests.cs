using Backprop.Nn.Data;

namespace Backprop.Nn.Tests.Data;

public sealed class DataSplitTests
{
    [Fact]
    public void Holdout_should_keep_each_class_proportion()
    {
        var data = Classes(50, 30, 20);

        var (rest, heldOut) = DataSplit.Holdout(data, 0.2, seed: 7);

        Assert.Equal([10, 6, 4], CountPerClass(heldOut));
        Assert.Equal([40, 24, 16], CountPerClass(rest));
    }

    [Fact]
    public void Holdout_should_round_the_total_by_largest_remainder()
    {
        var data = Classes(7, 7, 7);

        var (_, heldOut) = DataSplit.Holdout(data, 0.25, seed: 1);

        // 21·0.25 = 5.25 → 5: each class's share is 1.75, floors give 3, the two left go to classes 0 and 1.
        Assert.Equal([2, 2, 1], CountPerClass(heldOut));
    }

    [Fact]
    public void Holdout_should_leave_every_class_with_two_or_more_samples_in_the_rest()
    {
        var data = Classes(2, 1, 3, 10);

        var (rest, heldOut) = DataSplit.Holdout(data, 0.9, seed: 3);

        Assert.All(CountPerClass(rest), count => Assert.True(count >= 1));
        Assert.Equal([1, 0, 2, 9], CountPerClass(heldOut));
    }

    [Fact]
    public void Holdout_should_be_disjoint_complete_and_deterministic_for_a_seed()
    {
        var data = Classes(40, 25, 35);

        var first = DataSplit.HoldoutIndices(data, 0.3, seed: 42);
        var again = DataSplit.HoldoutIndices(data, 0.3, seed: 42);
        var other = DataSplit.HoldoutIndices(data, 0.3, seed: 43);

        Assert.Equal(first.Remaining, again.Remaining);
        Assert.Equal(first.HeldOut, again.HeldOut);
        Assert.NotEqual(first.HeldOut, other.HeldOut);
        Assert.Empty(first.Remaining.Intersect(first.HeldOut));
        Assert.Equal(Enumerable.Range(0, 100), first.Remaining.Concat(first.HeldOut).Order());
        Assert.Equal(30, first.HeldOut.Length);
    }

    [Fact]
    public void Holdout_should_shuffle_classes_together_not_in_blocks()
    {
        var data = Classes(50, 50);

        var (rest, _) = DataSplit.HoldoutIndices(data, 0.2, seed: 5);

        Assert.NotEqual(rest.Order(), rest);
        Assert.Contains(rest[..10], i => data.Labels[i] == 1);
        Assert.Contains(rest[..10], i => data.Labels[i] == 0);
    }

    [Fact]
    public void Holdout_should_split_regression_data_by_plain_shuffle()
    {
        var data = Dataset.Regression("mem", new float[10], 1, ["x"], Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 1);

        var (rest, heldOut) = DataSplit.HoldoutIndices(data, 0.25, seed: 9);
        var (restData, heldOutData) = DataSplit.Holdout(data, 0.25, seed: 9);

        Assert.Equal(3, heldOut.Length);
        Assert.Equal(Enumerable.Range(0, 10), rest.Concat(heldOut).Order());
        Assert.Equal(heldOut.Select(i => (float)i), heldOutData.Targets);
        Assert.Equal(rest.Select(i => (float)i), restData.Targets);
        Assert.Equal(heldOut, DataSplit.HoldoutIndices(data, 0.25, seed: 9).HeldOut);
    }

    [Fact]
    public void Holdout_should_hold_out_nothing_for_fraction_zero_and_reject_fractions_outside_0_1()
    {
        var data = Classes(3, 3);

        var (rest, heldOut) = DataSplit.Holdout(data, 0, seed: 1);

        Assert.Equal(6, rest.Count);
        Assert.Equal(0, heldOut.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Holdout(data, 1, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Holdout(data, double.NaN, seed: 1));
    }

    [Fact]
    public void SplitMix64_should_produce_the_published_sequence()
    {
        // Reference outputs of SplitMix64 seeded with 0: pins the algorithm so splits never change silently.
        var random = new SplitMix64(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, random.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.Next());
        Assert.Equal(0x06C45D188009454FUL, random.Next());
    }

    [Fact]
    public void SplitMix64_next_int_should_stay_in_range_and_cover_it()
    {
        var random = new SplitMix64(123);
        var seen = new int[7];
        for (int i = 0; i < 7000; i++)
        {
            seen[random.NextInt(7)]++;
        }

        Assert.All(seen, count => Assert.InRange(count, 850, 1150));
    }

    private static Dataset Classes(params int[] sizes)
    {
        var labels = sizes.SelectMany((size, c) => Enumerable.Repeat(c, size)).ToArray();
        var features = labels.Select((_, i) => (float)i).ToArray();
        var names = sizes.Select((_, c) => $"class{c}").ToArray();
        return Dataset.Classification("mem", features, 1, ["index"], labels, names);
    }

    private static int[] CountPerClass(Dataset data) =>
        Enumerable.Range(0, data.ClassCount).Select(c => data.Labels.Count(l => l == c)).ToArray();
}
