namespace Backprop.Numerics.Gemm;

/// <summary>
/// Cache-blocking sizes of the packed GEMM: a KC×NC panel of B stays in L3, an MC×KC block of A
/// in L2, and a KC×NR sliver of B in L1 while the micro-kernel walks down the A block.
/// </summary>
/// <param name="Mc">Rows of A packed at once (rounded down to the micro-kernel's row count).</param>
/// <param name="Kc">Depth of one packed block; K is cut into equal blocks no deeper than this.</param>
/// <param name="Nc">Columns of B packed at once (rounded down to the micro-kernel's column count).</param>
public readonly record struct GemmBlocking(int Mc, int Kc, int Nc)
{
    /// <summary>Sizes measured best on AVX-512 hosts with 32–48 KiB of L1d and 1 MiB of L2 per core.</summary>
    public static GemmBlocking Default => new(Mc: 192, Kc: 256, Nc: 4096);

    /// <summary>Throws when a size is not positive or so large that a packed buffer would overflow.</summary>
    public void Validate()
    {
        Check(Mc, nameof(Mc));
        Check(Kc, nameof(Kc));
        Check(Nc, nameof(Nc));
        if ((long)Kc * Math.Max(Mc, Nc) > int.MaxValue / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Kc), $"Blocking {this} makes a packed buffer larger than 2^30 floats.");
        }

        static void Check(int value, string name)
        {
            if (value <= 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"GEMM blocking size {name} must be positive.");
            }
        }
    }
}
