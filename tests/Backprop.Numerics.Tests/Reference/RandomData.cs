using System.Globalization;

namespace Backprop.Numerics.Tests.Reference;

/// <summary>
/// Seeded random inputs for kernel tests. Every array it returns has at least one non-zero element, and
/// <see cref="ToString"/> gives the seed so that failure messages can name it and a failure can be replayed.
/// </summary>
/// <param name="seed">The seed; tests use fixed constants.</param>
internal sealed class RandomData(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>The seed this generator started from.</summary>
    public int Seed { get; } = seed;

    /// <summary>One value uniform in [min, max).</summary>
    public float Next(float min, float max) => (float)(min + (_random.NextDouble() * ((double)max - min)));

    /// <summary><paramref name="length"/> values uniform in [min, max), never all zero.</summary>
    public float[] Uniform(int length, float min, float max)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = Next(min, max);
        }

        EnsureNotAllZero(values, max);
        return values;
    }

    /// <summary>Uniform in ±<paramref name="magnitude"/> but at least <paramref name="gap"/> away from 0 (off the kink of ReLU).</summary>
    public float[] AwayFromZero(int length, float magnitude, float gap)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            float v = Next(gap, magnitude);
            values[i] = _random.Next(2) == 0 ? v : -v;
        }

        return values;
    }

    /// <summary>Class indices uniform in [0, classes).</summary>
    public int[] Labels(int count, int classes)
    {
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = _random.Next(classes);
        }

        return labels;
    }

    /// <summary>A rows × cols matrix whose rows are random probability distributions (positive, summing to 1).</summary>
    public float[] ProbabilityRows(int rows, int cols)
    {
        var values = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double total = 0;
            for (int j = 0; j < cols; j++)
            {
                double v = 0.01 + _random.NextDouble();
                values[(r * cols) + j] = (float)v;
                total += v;
            }

            for (int j = 0; j < cols; j++)
            {
                values[(r * cols) + j] = (float)(values[(r * cols) + j] / total);
            }
        }

        return values;
    }

    /// <summary>Names the seed, for assertion messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"seed {Seed}");

    private static void EnsureNotAllZero(float[] values, float fallback)
    {
        if (values.Length > 0 && Array.TrueForAll(values, v => v == 0f))
        {
            values[0] = fallback == 0f ? 1f : fallback;
        }
    }
}
