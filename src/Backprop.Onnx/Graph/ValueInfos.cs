using Backprop.Onnx.Schema;

namespace Backprop.Onnx.Graph;

/// <summary>The declared name, type and shape of graph inputs and outputs.</summary>
internal static class ValueInfos
{
    /// <summary>A tensor of shape [batch] or [batch, <paramref name="width"/>], the batch dimension symbolic.</summary>
    /// <param name="name">The value's name.</param>
    /// <param name="elementType">Its element type.</param>
    /// <param name="width">The second dimension, or null for a vector of one value per sample.</param>
    /// <param name="docString">What the value holds.</param>
    public static ValueInfoProto BatchTensor(string name, TensorProto.Types.DataType elementType, int? width, string docString)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = OnnxNames.Batch });
        if (width is { } w)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = w });
        }

        return new ValueInfoProto
        {
            Name = name,
            DocString = docString,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape } },
        };
    }
}
