using Backprop.Numerics.Selection;

namespace Backprop.Numerics.Tests.Selection;

/// <summary>
/// The radix selection against a full sort by (|x| descending, position ascending): the same positions
/// for every k, on random values, on many equal magnitudes (ties), and on values crowded into one
/// bin of each radix digit.
/// </summary>
public sealed class MagnitudeSelectionTests
{
    private const int Seed = 20260312;

    [Fact]
    public void Selection_should_pick_the_same_positions_as_a_sort_for_every_length_and_k()
    {
        var random = new Random(Seed);
        for (int n = 0; n <= 80; n++)
        {
            float[] x = Gaussian(random, n);
            for (int k = 0; k <= n; k++)
            {
                AssertSameAsSort(x, k, $"n {n}, k {k}, seed {Seed}");
            }
        }
    }

    [Theory]
    [InlineData(30_000, 300)]
    [InlineData(30_000, 1)]
    [InlineData(30_000, 29_999)]
    [InlineData(100_003, 1_001)]
    [InlineData(200_000, 37)]
    [InlineData(70_000, 16_000)]
    [InlineData(1_000_000, 10_000)]
    public void Selection_should_pick_the_same_positions_as_a_sort_on_a_gradient_sized_range(int n, int k)
    {
        var random = new Random(Seed + n + k);
        AssertSameAsSort(Gaussian(random, n), k, $"gaussian n {n}, k {k}");
    }

    [Fact]
    public void Selection_should_take_equal_magnitudes_lowest_position_first()
    {
        var random = new Random(Seed + 1);

        // Few distinct magnitudes, either sign, and zeros: the k-th largest is shared by many.
        float[] x = [.. Enumerable.Range(0, 5_000).Select(_ => (float)(random.Next(-3, 4) * 0.25))];
        foreach (int k in new[] { 1, 7, 700, 1_250, 2_500, 4_999 })
        {
            AssertSameAsSort(x, k, $"ties, k {k}");
        }

        float[] same = [.. Enumerable.Repeat(-2.5f, 1_000)];
        int[] picked = new int[10];
        MagnitudeSelection.Largest(same, picked);
        Assert.Equal(Enumerable.Range(0, 10), picked);
    }

    [Fact]
    public void Selection_should_take_equal_magnitudes_lowest_position_first_in_a_long_vector()
    {
        // Long enough to sample; the sampled bound holds nearly every value, so the full histogram decides.
        var random = new Random(Seed + 3);
        float[] x = [.. Enumerable.Range(0, 300_000).Select(_ => (float)(random.Next(-3, 4) * 0.25))];
        foreach (int k in new[] { 1, 3_000, 100_000 })
        {
            AssertSameAsSort(x, k, $"long ties, k {k}");
        }
    }

    [Fact]
    public void Selection_should_stay_exact_when_the_sample_misleads()
    {
        const int n = 100_000;
        var onGrid = Enumerable.Range(0, 4_096).Select(j => (int)((long)j * n / 4_096)).ToHashSet();

        // The sample sees only the large values: its bound holds fewer than k.
        float[] overestimated = [.. Enumerable.Range(0, n).Select(i => onGrid.Contains(i) ? 1f : 1e-3f * (1 + (i % 7)))];
        AssertSameAsSort(overestimated, 5_000, "sample of large values");

        // The sample sees none of the large values: its bound holds nearly everything.
        float[] underestimated = [.. Enumerable.Range(0, n).Select(i => !onGrid.Contains(i) && i % 97 == 0 ? 5f + (i % 13) : 1f)];
        AssertSameAsSort(underestimated, 50, "sample of small values");
    }

    [Fact]
    public void Selection_should_resolve_values_that_differ_only_in_the_lowest_bits()
    {
        // All in one bin of the top and middle digits: the threshold is decided by the last one.
        var random = new Random(Seed + 2);
        float[] x = [.. Enumerable.Range(0, 4_096).Select(_ => BitConverter.UInt32BitsToSingle(0x3F80_0000u | (uint)random.Next(1 << 10) | (random.Next(2) == 0 ? 0u : 0x8000_0000u)))];
        foreach (int k in new[] { 1, 100, 2_048, 4_000 })
        {
            AssertSameAsSort(x, k, $"low bits, k {k}");
        }
    }

    [Fact]
    public void Selection_should_order_subnormals_infinities_and_nan_by_magnitude_with_nan_above_all()
    {
        float[] x = [1e-40f, -0f, 0f, float.Epsilon, float.NegativeInfinity, 3f, float.NaN, -float.MaxValue, 1e-45f, 2f];
        var picked = new int[4];

        MagnitudeSelection.Largest(x, picked);

        Assert.Equal([4, 5, 6, 7], picked);
        picked = new int[8];
        MagnitudeSelection.Largest(x, picked);
        Assert.Equal([0, 3, 4, 5, 6, 7, 8, 9], picked);
    }

    [Fact]
    public void Selection_should_throw_naming_indices_when_k_exceeds_the_length()
    {
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => MagnitudeSelection.Largest(new float[3], new int[4])).ParamName);
    }

    private static void AssertSameAsSort(float[] x, int k, string context)
    {
        int[] expected = [.. Enumerable.Range(0, x.Length)
            .OrderByDescending(i => float.IsNaN(x[i]) ? double.PositiveInfinity : Math.Abs((double)x[i]))
            .ThenByDescending(i => float.IsNaN(x[i]) ? 1 : 0)
            .ThenBy(i => i)
            .Take(k)
            .Order()];
        var actual = new int[k];

        MagnitudeSelection.Largest(x, actual);

        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{context}: positions differ from the sort's");
    }

    private static float[] Gaussian(Random random, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u = 1 - random.NextDouble();
            x[i] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()) * 1e-3);
        }

        return x;
    }
}
