namespace Backprop.Cluster.Settings;

/// <summary>How tensor values travel between workers and the parameter server.</summary>
public enum WireCompression
{
    /// <summary>float32, as computed.</summary>
    None,

    /// <summary>bfloat16 both ways (fp32 master weights on the server): half the bytes, float32's range, 8 bits of mantissa.</summary>
    Bf16,

    /// <summary>IEEE half both ways (fp32 master weights on the server): half the bytes, 11 bits of mantissa, range up to 65504.</summary>
    Fp16,

    /// <summary>Gradients as the largest values of each bucket with error feedback; weights as float32.</summary>
    TopK,
}

/// <summary>The configuration's spellings of <see cref="WireCompression"/>.</summary>
public static class WireCompressions
{
    /// <summary>The value a spelling names, or null.</summary>
    /// <param name="text">none, bf16, fp16 or top-k.</param>
    public static WireCompression? Parse(string? text) => text switch
    {
        "none" => WireCompression.None,
        "bf16" => WireCompression.Bf16,
        "fp16" => WireCompression.Fp16,
        "top-k" => WireCompression.TopK,
        _ => null,
    };

    /// <summary>The configuration's spelling.</summary>
    /// <param name="compression">The value.</param>
    public static string Spell(WireCompression compression) => compression switch
    {
        WireCompression.Bf16 => "bf16",
        WireCompression.Fp16 => "fp16",
        WireCompression.TopK => "top-k",
        _ => "none",
    };
}
