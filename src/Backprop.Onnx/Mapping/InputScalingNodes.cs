using Backprop.Nn.Data;
using Backprop.Onnx.Graph;

namespace Backprop.Onnx.Mapping;

/// <summary>
/// The model's stored feature scaling, (x − offset)·scale per feature (<see cref="FeatureScaler"/>), as
/// explicit Sub and Mul nodes, so the exported model takes the same raw values as <c>backprop predict</c>.
/// </summary>
internal static class InputScalingNodes
{
    /// <summary>Adds the scaling of <paramref name="input"/>; returns the scaled features' name.</summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="scaler">The model's scaler.</param>
    /// <param name="input">The raw features, [batch, features].</param>
    public static string Add(GraphBuilder graph, FeatureScaler scaler, string input)
    {
        // The same two float operations in the same order as FeatureScaler.Apply; a step that changes
        // nothing (offset all 0, scale all 1) is left out, which is exact too.
        string value = input;
        if (scaler.Offset.Any(o => o != 0f))
        {
            string offset = graph.AddConstant("input_scaling.offset", scaler.Offset, scaler.FeatureCount);
            value = graph.AddNode("Sub", "input_scaling.centred", [value, offset]);
        }

        if (scaler.Scale.Any(s => s != 1f))
        {
            string scale = graph.AddConstant("input_scaling.scale", scaler.Scale, scaler.FeatureCount);
            value = graph.AddNode("Mul", "input_scaling.scaled", [value, scale]);
        }

        return value;
    }
}
