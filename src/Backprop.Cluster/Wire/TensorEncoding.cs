namespace Backprop.Cluster.Wire;

/// <summary>
/// How a <see cref="TensorSlice"/>'s values travel on the wire. The numbers are the wire's (the slice
/// contract's Encoding field): never renumber. Only the wire sees an encoding other than
/// <see cref="Fp32"/>: a receiver always gets float32 values.
/// </summary>
public enum TensorEncoding
{
    /// <summary>Every value as float32, exactly as computed (4 bytes a value).</summary>
    Fp32 = 0,

    /// <summary>Every value rounded to bfloat16 (2 bytes): float32's range, 8 significant bits.</summary>
    Bf16 = 1,

    /// <summary>Every value rounded to IEEE half (2 bytes): 11 significant bits, beyond ±65504 infinity.</summary>
    Fp16 = 2,

    /// <summary>
    /// Only the values at the slice's <see cref="TensorSlice.Indices"/>, as float32 (4 bytes each plus a
    /// 4-byte position); every other value of the range arrives as zero.
    /// </summary>
    Sparse = 3,
}
