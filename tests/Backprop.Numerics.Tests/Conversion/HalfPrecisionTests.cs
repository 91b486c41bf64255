using Backprop.Numerics.Conversion;
using Backprop.Numerics.Tests.Reference;

namespace Backprop.Numerics.Tests.Conversion;

/// <summary>
/// The 16-bit conversions against <see cref="NaiveRounding"/>, the formats written out in float64: every
/// length 0..256 (every vector tail of every width) and longer, random non-zero values over the whole
/// float range and around each format's edges, exact ties, and every one of the 65,536 16-bit patterns back.
/// </summary>
public sealed class HalfPrecisionTests
{
    private const int Seed = 20260311;

    private static readonly int[] Lengths = [.. Enumerable.Range(0, 257), 1_000, 4_099, 30_000];

    /// <summary>Values every conversion must get right, each placed somewhere in the random inputs too.</summary>
    private static readonly float[] EdgeValues =
    [
        0f, -0f, float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f, 1.17549435e-38f, float.MaxValue, float.MinValue,
        float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.UInt32BitsToSingle(0x7F80_0001), BitConverter.UInt32BitsToSingle(0xFFC1_2345),
        65504f, -65504f, 65519.996f, 65520f, -65520f, 1e5f, -1e9f, 6.1035156e-5f, 6.097555e-5f, 5.9604645e-8f, 2.9802322e-8f, 2.9802326e-8f, 1e-8f,
        3.3895314e38f, 3.3961775e38f, 1f, -1f, 1.00390625f, 1.01171875f, 0.1f, -3.14159265f,
    ];

    [Fact]
    public void A_bf16_conversion_should_round_to_the_nearest_even_bfloat16_at_every_length()
    {
        var random = new Random(Seed);
        foreach (int n in Lengths)
        {
            float[] x = Inputs(random, n, fp16Range: false);
            var bits = new ushort[n];
            HalfPrecision.ToBFloat16(x, bits);
            for (int i = 0; i < n; i++)
            {
                AssertRounded(x[i], NaiveRounding.BFloat16(x[i]), NaiveRounding.FromBFloat16Bits(bits[i]), $"bf16 of {Describe(x[i])} at {i} of {n}, seed {Seed}");
            }
        }
    }

    [Fact]
    public void A_fp16_conversion_should_round_to_the_nearest_even_half_and_overflow_to_infinity_at_every_length()
    {
        var random = new Random(Seed + 1);
        foreach (int n in Lengths)
        {
            float[] x = Inputs(random, n, fp16Range: true);
            var halves = new Half[n];
            HalfPrecision.ToHalf(x, halves);
            for (int i = 0; i < n; i++)
            {
                AssertRounded(x[i], NaiveRounding.Half(x[i]), NaiveRounding.FromHalfBits(BitConverter.HalfToUInt16Bits(halves[i])), $"fp16 of {Describe(x[i])} at {i} of {n}, seed {Seed + 1}");
            }
        }
    }

    [Fact]
    public void A_bf16_value_should_widen_exactly_for_every_bit_pattern_and_length()
    {
        ushort[] all = [.. Enumerable.Range(0, 1 << 16).Select(b => (ushort)b)];
        foreach (int n in Lengths.Append(all.Length))
        {
            var back = new float[n];
            HalfPrecision.FromBFloat16(all.AsSpan(0, n), back);
            for (int i = 0; i < n; i++)
            {
                AssertExact(NaiveRounding.FromBFloat16Bits(all[i]), back[i], $"bf16 0x{all[i]:X4}");
            }
        }
    }

    [Fact]
    public void An_fp16_value_should_widen_exactly_for_every_bit_pattern_and_length()
    {
        ushort[] all = [.. Enumerable.Range(0, 1 << 16).Select(b => (ushort)b)];
        foreach (int n in Lengths.Append(all.Length))
        {
            var back = new float[n];
            HalfPrecision.FromHalf([.. all.AsSpan(0, n).ToArray().Select(BitConverter.UInt16BitsToHalf)], back);
            for (int i = 0; i < n; i++)
            {
                AssertExact(NaiveRounding.FromHalfBits(all[i]), back[i], $"fp16 0x{all[i]:X4}");
            }
        }
    }

    [Fact]
    public void A_nan_should_stay_a_quiet_nan_with_its_sign_in_both_formats()
    {
        // 0x7F800001 is a signalling NaN whose payload lies wholly in the bits bf16 drops: cut
        // naively it would turn into infinity.
        float[] nans = [float.NaN, -float.NaN, BitConverter.UInt32BitsToSingle(0x7F80_0001), BitConverter.UInt32BitsToSingle(0xFF80_0001), BitConverter.UInt32BitsToSingle(0x7FFF_FFFF)];
        float[] x = [.. Enumerable.Repeat(nans, 8).SelectMany(v => v)];
        var bits = new ushort[x.Length];
        var halves = new Half[x.Length];

        HalfPrecision.ToBFloat16(x, bits);
        HalfPrecision.ToHalf(x, halves);

        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(float.IsNaN(BFloat16Bits.ToSingle(bits[i])) && (bits[i] & 0x0040) != 0, $"bf16 of NaN 0x{BitConverter.SingleToUInt32Bits(x[i]):X8} is 0x{bits[i]:X4}");
            Assert.Equal(float.IsNegative(x[i]), (bits[i] & 0x8000) != 0);
            Assert.True(Half.IsNaN(halves[i]), $"fp16 of NaN 0x{BitConverter.SingleToUInt32Bits(x[i]):X8}");
        }
    }

    [Fact]
    public void The_scalar_bf16_rounding_should_agree_with_the_vector_kernel()
    {
        var random = new Random(Seed + 2);
        float[] x = Inputs(random, 4_099, fp16Range: false);
        var bits = new ushort[x.Length];
        HalfPrecision.ToBFloat16(x, bits);

        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(bits[i], BFloat16Bits.FromSingle(x[i]));
            Assert.Equal(BitConverter.SingleToUInt32Bits(BFloat16Bits.ToSingle(bits[i])), (uint)bits[i] << 16);
        }
    }

    [Fact]
    public void Conversions_should_throw_naming_the_argument_when_lengths_differ_or_buffers_overlap()
    {
        var floats = new float[16];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => HalfPrecision.ToBFloat16(new float[3], new ushort[4])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => HalfPrecision.FromBFloat16(new ushort[4], new float[3])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => HalfPrecision.ToHalf(new float[3], new Half[2])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => HalfPrecision.FromHalf(new Half[2], new float[3])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            HalfPrecision.ToBFloat16(floats.AsSpan(0, 8), System.Runtime.InteropServices.MemoryMarshal.Cast<float, ushort>(floats.AsSpan(4, 4)))).ParamName);
    }

    // Random non-zero inputs: any float bits (every exponent, NaNs included), values within and
    // around fp16's range, exact ties of the target format, and the edge values at random places.
    private static float[] Inputs(Random random, int n, bool fp16Range)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            uint bits = (uint)random.NextInt64(1, 1L << 32);
            x[i] = (random.Next(5), fp16Range) switch
            {
                (0, _) => BitConverter.UInt32BitsToSingle(bits),
                (1, false) => BitConverter.UInt32BitsToSingle((bits & 0xFFFF_0000) | 0x8000),  // a bf16 tie
                (1, true) => Tie16(bits, random),
                (2, _) => EdgeValues[random.Next(EdgeValues.Length)],
                _ => (float)Math.CopySign(Math.Pow(2, (random.NextDouble() * 50) - 30), random.Next(2) == 0 ? 1 : -1),
            };
            if (x[i] == 0 && random.Next(4) != 0)
            {
                x[i] = 1.5f;
            }
        }

        return x;
    }

    // A float halfway between two neighbouring fp16 normals: a half's value plus half its ulp.
    private static float Tie16(uint bits, Random random)
    {
        ushort half = (ushort)((bits & 0x8000) | (uint)random.Next(0x0400, 0x7BFF));
        double value = NaiveRounding.FromHalfBits(half);
        double ulp = Math.ScaleB(1.0, Math.ILogB(Math.Abs(value)) - 10);
        return (float)(value + Math.CopySign(ulp / 2, value));
    }

    private static void AssertRounded(float x, double expected, double actual, string context)
    {
        if (float.IsNaN(x))
        {
            Assert.True(double.IsNaN(actual), $"{context}: NaN became {actual}");
            return;
        }

        AssertExact(expected, actual, context);
    }

    private static void AssertExact(double expected, double actual, string context)
    {
        Assert.True(
            (double.IsNaN(expected) && double.IsNaN(actual)) || (expected.Equals(actual) && double.IsNegative(expected) == double.IsNegative(actual)),
            $"{context}: expected {expected:R}, got {actual:R}");
    }

    private static string Describe(float x) => $"{x:R} (0x{BitConverter.SingleToUInt32Bits(x):X8})";
}
