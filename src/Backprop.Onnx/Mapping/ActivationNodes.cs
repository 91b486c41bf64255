using Backprop.Numerics.Elementwise;
using Backprop.Onnx.Graph;

namespace Backprop.Onnx.Mapping;

/// <summary>
/// Each activation of the library as ONNX operators of opset 13, computing what
/// <see cref="Activation.Forward"/> computes.
/// </summary>
internal static class ActivationNodes
{
    // The library's `gelu` is the tanh approximation (PyTorch's approximate='tanh'): spelling it with Erf would
    // change every unit by up to 4.7e-4 (at x ≈ −2.7) and the outputs with it. It is written as the library
    // computes it, x / (1 + e^z) with z = x·(K1 + K2·x²), K1 = −2·√(2/π), K2 = K1·0.044715: the same
    // float constants and the same order of operations, so the two agree to float rounding.
    private static readonly float GeluK1 = (float)(-2 * Math.Sqrt(2 / Math.PI));
    private static readonly float GeluK2 = (float)(-2 * Math.Sqrt(2 / Math.PI) * 0.044715);

    // `gelu-erf`, the exact GELU, is ONNX's own spelling of it before opset 20's Gelu op: x·0.5·(1 + Erf(x/√2)).
    private static readonly float InvSqrt2 = (float)(1 / Math.Sqrt(2));

    /// <summary>Adds the nodes of <paramref name="activation"/> applied to <paramref name="input"/>; returns the result's name.</summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="activation">The layer's activation.</param>
    /// <param name="input">The layer's affine output.</param>
    /// <param name="prefix">A name prefix unique to the layer, e.g. <c>layers.0</c>.</param>
    /// <param name="layerDescription">How an error names the layer, e.g. "hidden layer 1 (64 units)".</param>
    /// <exception cref="OnnxExportException">The activation has no ONNX spelling.</exception>
    public static string Add(GraphBuilder graph, Activation activation, string input, string prefix, string layerDescription)
    {
        string output = prefix + ".output";
        switch (activation.Kind)
        {
            case ActivationKind.Identity:
                return input;
            case ActivationKind.Relu:
                return graph.AddNode("Relu", output, [input]);
            case ActivationKind.Sigmoid:
                return graph.AddNode("Sigmoid", output, [input]);
            case ActivationKind.Tanh:
                return graph.AddNode("Tanh", output, [input]);
            case ActivationKind.LeakyRelu:
                return graph.AddNode("LeakyRelu", output, [input], Attributes.Float("alpha", activation.Slope));
            case ActivationKind.Gelu:
                return AddGelu(graph, input, prefix, output);
            case ActivationKind.GeluErf:
                return AddGeluErf(graph, input, prefix, output);
            default:
                throw new OnnxExportException(
                    $"{layerDescription}: the activation {activation.Kind} ({(int)activation.Kind}) has no ONNX mapping in this build of backprop; " +
                    "export supports identity, relu, leaky-relu, sigmoid, tanh, gelu and gelu-erf.");
        }
    }

    private static string AddGelu(GraphBuilder graph, string x, string prefix, string output)
    {
        string k1 = graph.AddConstant(prefix + ".gelu.k1", [GeluK1]);
        string k2 = graph.AddConstant(prefix + ".gelu.k2", [GeluK2]);
        string one = graph.AddConstant(prefix + ".gelu.one", [1f]);
        string square = graph.AddNode("Mul", prefix + ".gelu.x2", [x, x]);
        string scaled = graph.AddNode("Mul", prefix + ".gelu.k2x2", [square, k2]);
        string inner = graph.AddNode("Add", prefix + ".gelu.poly", [scaled, k1]);
        string z = graph.AddNode("Mul", prefix + ".gelu.z", [x, inner]);
        string exp = graph.AddNode("Exp", prefix + ".gelu.exp", [z]);
        string denominator = graph.AddNode("Add", prefix + ".gelu.denominator", [exp, one]);
        return graph.AddNode("Div", output, [x, denominator]);
    }

    private static string AddGeluErf(GraphBuilder graph, string x, string prefix, string output)
    {
        string invSqrt2 = graph.AddConstant(prefix + ".gelu.inv_sqrt2", [InvSqrt2]);
        string one = graph.AddConstant(prefix + ".gelu.one", [1f]);
        string half = graph.AddConstant(prefix + ".gelu.half", [0.5f]);
        string scaled = graph.AddNode("Mul", prefix + ".gelu.scaled", [x, invSqrt2]);
        string erf = graph.AddNode("Erf", prefix + ".gelu.erf", [scaled]);
        string onePlus = graph.AddNode("Add", prefix + ".gelu.one_plus", [erf, one]);
        string cdf = graph.AddNode("Mul", prefix + ".gelu.cdf", [onePlus, half]);
        return graph.AddNode("Mul", output, [x, cdf]);
    }
}
