using System.Globalization;

namespace Backprop.Numerics.Tests.Reference;

/// <summary>
/// The one tolerance policy for comparing a float32 kernel with a float64 reference:
/// <code>|actual − expected| ≤ Factor · ε32 · (|expected| + scale)</code>
/// where ε32 = 2^−23 and <c>scale</c> is the magnitude of the quantities the value was computed from (1 for a
/// bounded function such as σ or tanh, |dy| for a backward pass, Σ|terms| for a sum, |p| + the update sizes for an
/// optimiser step). The relative part covers rounding of the result; the scale part covers cancellation, where the
/// result is much smaller than what was combined to get it. <see cref="Factor"/> = 32 (five of float's 24 bits)
/// absorbs the few-ulp error of vectorised exp/log/tanh and float accumulation over a block; any formula error is
/// orders of magnitude larger.
/// </summary>
internal static class Tolerance
{
    /// <summary>Machine epsilon of float32, 2^−23.</summary>
    public const double Float32Epsilon = 1.0 / (1 << 23);

    /// <summary>How many ε32 of (|expected| + scale) a result may be off by.</summary>
    public const double Factor = 32;

    /// <summary>The allowed absolute error for a value whose reference is <paramref name="expected"/>.</summary>
    public static double Bound(double expected, double scale) => Factor * Float32Epsilon * (Math.Abs(expected) + scale);

    /// <summary>Whether <paramref name="actual"/> is within <see cref="Bound"/> of <paramref name="expected"/>.</summary>
    public static bool IsClose(double expected, double actual, double scale) =>
        Math.Abs(actual - expected) <= Bound(expected, scale) || (double.IsNaN(expected) && double.IsNaN(actual))
        || (double.IsInfinity(expected) && expected == actual);

    /// <summary>Asserts one value, naming <paramref name="context"/> (which includes the seed) on failure.</summary>
    public static void Close(double expected, double actual, double scale, string context)
    {
        if (!IsClose(expected, actual, scale))
        {
            Assert.Fail(Describe(context, -1, expected, actual, scale));
        }
    }

    /// <summary>Asserts every element with one scale for all.</summary>
    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double scale, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            if (!IsClose(expected[i], actual[i], scale))
            {
                Assert.Fail(Describe(context, i, expected[i], actual[i], scale));
            }
        }
    }

    /// <summary>Asserts every element with its own scale.</summary>
    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, ReadOnlySpan<double> scales, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            if (!IsClose(expected[i], actual[i], scales[i]))
            {
                Assert.Fail(Describe(context, i, expected[i], actual[i], scales[i]));
            }
        }
    }

    private static string Describe(string context, int index, double expected, double actual, double scale) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{context}{(index >= 0 ? $", element {index}" : string.Empty)}: expected {expected:R}, got {actual:R}, " +
            $"|diff| {Math.Abs(actual - expected):G3} > bound {Bound(expected, scale):G3} (scale {scale:G3}).");
}
