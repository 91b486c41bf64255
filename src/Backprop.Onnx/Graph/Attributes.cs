using Backprop.Onnx.Schema;

namespace Backprop.Onnx.Graph;

/// <summary>Node attributes, each with its type discriminator set as the IR requires.</summary>
internal static class Attributes
{
    /// <summary>An integer attribute; written even when 0, since the schema is proto2.</summary>
    /// <param name="name">The attribute, e.g. <c>axis</c>.</param>
    /// <param name="value">Its value.</param>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    /// <param name="name">The attribute, e.g. <c>alpha</c>.</param>
    /// <param name="value">Its value.</param>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
