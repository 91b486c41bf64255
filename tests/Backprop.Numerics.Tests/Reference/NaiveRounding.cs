namespace Backprop.Numerics.Tests.Reference;

/// <summary>
/// The 16-bit formats written from their definitions in float64, the reference for the conversion
/// kernels: a format is a significand of p bits (the leading one included), a least normal exponent
/// and a largest one; rounding is to nearest, ties to even, and a result reaching 2^(emax+1) is infinity.
/// Every step is exact in double for a float32 input (scaling by powers of two, a round of a
/// double that holds the quotient exactly).
/// </summary>
internal static class NaiveRounding
{
    /// <summary>x rounded to the nearest bfloat16 (p = 8, exponents −126..127), as a double.</summary>
    public static double BFloat16(float x) => Round(x, significandBits: 8, minExponent: -126, maxExponent: 127);

    /// <summary>x rounded to the nearest IEEE half (p = 11, exponents −14..15, largest finite 65504), as a double.</summary>
    public static double Half(float x) => Round(x, significandBits: 11, minExponent: -14, maxExponent: 15);

    /// <summary>The value of bfloat16 bits: sign, 8 exponent bits (bias 127), 7 fraction bits.</summary>
    public static double FromBFloat16Bits(ushort bits) => Decode(bits, exponentBits: 8, fractionBits: 7);

    /// <summary>The value of half bits: sign, 5 exponent bits (bias 15), 10 fraction bits.</summary>
    public static double FromHalfBits(ushort bits) => Decode(bits, exponentBits: 5, fractionBits: 10);

    private static double Round(double x, int significandBits, int minExponent, int maxExponent)
    {
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return x;
        }

        double magnitude = Math.Abs(x);

        // Below the least normal exponent the spacing stays that of the subnormals.
        int exponent = magnitude == 0 ? minExponent : Math.Max(Math.ILogB(magnitude), minExponent);
        double ulp = Math.ScaleB(1.0, exponent - (significandBits - 1));
        double rounded = Math.Round(magnitude / ulp, MidpointRounding.ToEven) * ulp;
        if (rounded >= Math.ScaleB(1.0, maxExponent + 1))
        {
            rounded = double.PositiveInfinity;
        }

        return Math.CopySign(rounded, x);
    }

    private static double Decode(ushort bits, int exponentBits, int fractionBits)
    {
        int bias = (1 << (exponentBits - 1)) - 1;
        int exponent = (bits >> fractionBits) & ((1 << exponentBits) - 1);
        int fraction = bits & ((1 << fractionBits) - 1);
        double sign = (bits & 0x8000) != 0 ? -1.0 : 1.0;
        if (exponent == (1 << exponentBits) - 1)
        {
            return fraction == 0 ? sign * double.PositiveInfinity : double.NaN;
        }

        return exponent == 0
            ? sign * Math.ScaleB(fraction, 1 - bias - fractionBits)
            : sign * Math.ScaleB((1 << fractionBits) + fraction, exponent - bias - fractionBits);
    }
}
