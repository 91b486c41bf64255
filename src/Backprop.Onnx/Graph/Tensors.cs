using System.Runtime.InteropServices;
using Backprop.Onnx.Schema;
using Google.Protobuf;

namespace Backprop.Onnx.Graph;

/// <summary>Constant tensors for initializers.</summary>
internal static class Tensors
{
    /// <summary>A float32 tensor whose values travel as raw little-endian bytes (one copy, no per-value tags).</summary>
    /// <param name="name">Its value name.</param>
    /// <param name="values">The values, row-major.</param>
    /// <param name="dims">The shape.</param>
    public static TensorProto Floats(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        long count = dims.Aggregate(1L, (product, d) => product * d);
        if (count != values.Length)
        {
            throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(", ", dims)}] = {count} values, but {values.Length} were given.", nameof(values));
        }

        // ONNX fixes raw_data as little-endian; so does our model file, which is only read on little-endian machines.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export writes raw little-endian tensors and runs on little-endian machines only.");
        }

        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
