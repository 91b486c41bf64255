namespace Backprop.Numerics.Conversion;

/// <summary>
/// One value to and from bfloat16, as raw bits: the top 16 bits of a float32 (sign, the same 8-bit
/// exponent, 7 of the 23 mantissa bits). The scalar path of <see cref="HalfPrecision"/>, and the rule its
/// vector paths follow bit for bit.
/// </summary>
public static class BFloat16Bits
{
    /// <summary>Mask of the quiet bit of a bfloat16 NaN (the top mantissa bit).</summary>
    internal const uint QuietNaN = 0x0040;

    /// <summary>
    /// <paramref name="value"/> rounded to the nearest bfloat16, ties to even. Values beyond bfloat16's
    /// largest finite (about 3.39e38) round to infinity; subnormals round like any other value; a NaN
    /// stays a NaN (made quiet, its sign and top payload bits kept), never turning into an infinity
    /// as plain rounding of its bits could.
    /// </summary>
    /// <param name="value">A float32.</param>
    /// <returns>The bfloat16's bits.</returns>
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | QuietNaN);
        }

        // Adding 0x7FFF rounds half down and the kept lowest bit makes a tie round up only when odd.
        // Cannot overflow 32 bits: the largest non-NaN pattern is -infinity, 0xFF800000.
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>The float32 a bfloat16 stands for: exact, every bfloat16 is a float32.</summary>
    /// <param name="bits">The bfloat16's bits.</param>
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
