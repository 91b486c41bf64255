using Backprop.Cluster.Settings;

namespace Backprop.Cluster.Wire;

/// <summary>Which <see cref="TensorEncoding"/> a job's <see cref="WireCompression"/> asks of each kind of tensor message.</summary>
public static class TensorEncodings
{
    /// <summary>
    /// The encoding of the weights the server broadcasts: bf16 and fp16 as named (the server keeps its
    /// float32 master weights; only the copies sent are rounded); with none and with top-k, float32
    /// (top-k sparsifies gradients only: a worker needs every weight).
    /// </summary>
    /// <param name="compression">The job's compression.</param>
    public static TensorEncoding ForWeights(WireCompression compression) => compression switch
    {
        WireCompression.Bf16 => TensorEncoding.Bf16,
        WireCompression.Fp16 => TensorEncoding.Fp16,
        _ => TensorEncoding.Fp32,
    };

    /// <summary>
    /// The encoding of a worker's gradient slices: bf16 and fp16 as named, sparse with top-k (see
    /// <see cref="Worker.GradientEncoder"/>, which picks the values), float32 with none.
    /// </summary>
    /// <param name="compression">The job's compression.</param>
    public static TensorEncoding ForGradients(WireCompression compression) =>
        compression == WireCompression.TopK ? TensorEncoding.Sparse : ForWeights(compression);
}
