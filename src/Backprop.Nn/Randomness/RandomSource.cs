using System.Numerics;

namespace Backprop.Nn.Randomness;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, statistically sound, and — unlike
/// <see cref="Random"/> — the same sequence on every .NET version and platform, which a checkpoint
/// that must resume byte-identically relies on. Streams for separate purposes are derived from
/// (seed, purpose, index), so no generator state has to be carried from step to step.
/// </summary>
public sealed class RandomSource
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>A generator whose 256-bit state is expanded from <paramref name="seed"/>.</summary>
    /// <param name="seed">Any value, zero included.</param>
    public RandomSource(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// The generator for one purpose and index under a seed, e.g. (seed, Shuffle, epoch): distinct
    /// triples give independent streams.
    /// </summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="purpose">What the stream is for.</param>
    /// <param name="index">Which one of its kind (an epoch, a step, a layer).</param>
    /// <param name="subIndex">A second index where one is not enough (a sample within a step).</param>
    public static RandomSource Derive(long seed, RandomPurpose purpose, long index, long subIndex = 0) =>
        new(Mix(seed, purpose, index, subIndex));

    /// <summary>Restarts this generator as <see cref="Derive"/> would create it, without allocating.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="purpose">What the stream is for.</param>
    /// <param name="index">Which one of its kind.</param>
    /// <param name="subIndex">A second index.</param>
    public void Reseed(long seed, RandomPurpose purpose, long index, long subIndex = 0)
    {
        ulong x = Mix(seed, purpose, index, subIndex);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>64 uniformly random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    /// <param name="maxExclusive">The bound, at least 1.</param>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        ulong bound = (ulong)maxExclusive;
        // 32 random bits times a bound below 2^31 fits in 64 bits.
        ulong product = (NextUInt64() & 0xFFFFFFFFUL) * bound;
        ulong low = product & 0xFFFFFFFFUL;
        if (low < bound)
        {
            ulong threshold = (0x1_0000_0000UL - bound) % bound;
            while (low < threshold)
            {
                product = (NextUInt64() & 0xFFFFFFFFUL) * bound;
                low = product & 0xFFFFFFFFUL;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>Standard normal, by the Box–Muller transform (one of the pair; the other is discarded to keep no state).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    /// <param name="values">The values to permute.</param>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong Mix(long seed, RandomPurpose purpose, long index, long subIndex)
    {
        ulong x = (ulong)seed;
        ulong mixed = SplitMix64(ref x) ^ ((ulong)purpose * 0x9E3779B97F4A7C15UL);
        x = mixed;
        mixed = SplitMix64(ref x) ^ ((ulong)index * 0xD1B54A32D192ED03UL);
        x = mixed;
        return SplitMix64(ref x) ^ ((ulong)subIndex * 0x8CB92BA72F3D8DD7UL);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
