using System.Reflection;
using Backprop.Nn.Persistence;
using Backprop.Onnx.Graph;
using Backprop.Onnx.Mapping;
using Backprop.Onnx.Schema;
using Google.Protobuf;

namespace Backprop.Onnx;

/// <summary>
/// Writes a saved model as an ONNX model (IR <see cref="OnnxFormat.IrVersion"/>, opset
/// <see cref="OnnxFormat.Opset"/>) that computes what <c>backprop predict</c> does from the same raw
/// inputs: the feature scaling, one Gemm and activation per layer, then the output (see <see cref="OnnxNames"/>).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX model's bytes.</summary>
    /// <param name="model">A loaded model.</param>
    /// <exception cref="OnnxExportException">A part of the model has no ONNX spelling; the message names it.</exception>
    public static byte[] Export(SavedModel model) => Build(model).ToByteArray();

    /// <summary>Writes the ONNX model to <paramref name="path"/>, whole or not at all (a temporary file renamed over it).</summary>
    /// <param name="model">A loaded model.</param>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <exception cref="OnnxExportException">A part of the model has no ONNX spelling; the message names it.</exception>
    public static void Save(SavedModel model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Export(model);
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw;
        }
    }

    /// <summary>The model as a message, for tests that inspect it.</summary>
    /// <param name="model">A loaded model.</param>
    internal static ModelProto Build(SavedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string description = ModelDescription.DocString(model);
        var graph = new GraphBuilder("backprop_mlp", description);
        var spec = model.Spec;
        graph.AddInput(ValueInfos.BatchTensor(
            OnnxNames.Input, TensorProto.Types.DataType.Float, spec.Inputs, "Raw features, as backprop predict reads them; scaled inside the model."));

        string value = InputScalingNodes.Add(graph, model.Scaler, OnnxNames.Input);
        var layout = new Nn.Parameters.ParameterLayout(spec.Widths);
        var layers = spec.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            var weight = layout.Weight(l);
            var bias = layout.Bias(l);
            string prefix = $"layers.{l}";
            string w = graph.AddConstant(weight.Name, weight.Of(model.Parameters), weight.Rows, weight.Columns);
            string b = graph.AddConstant(bias.Name, bias.Of(model.Parameters), bias.Columns);

            // Weights are stored inputs × outputs, so the layer is X·W + b: Gemm without transposes.
            string linear = graph.AddNode("Gemm", prefix + ".linear", [value, w, b]);
            string where = l == layers.Count - 1 ? $"the output layer ({layers[l].Units} units)" : $"hidden layer {l + 1} ({layers[l].Units} units)";
            value = ActivationNodes.Add(graph, layers[l].Activation, linear, prefix, where);
        }

        OutputNodes.Add(graph, model, value);

        var onnx = new ModelProto
        {
            IrVersion = OnnxFormat.IrVersion,
            ProducerName = OnnxFormat.ProducerName,
            ProducerVersion = ProducerVersion(),
            Domain = "backprop",
            ModelVersion = 1,
            DocString = description,
            Graph = graph.Build(),
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OnnxFormat.Opset });
        foreach (var (key, text) in ModelDescription.Metadata(model))
        {
            onnx.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = text });
        }

        return onnx;
    }

    private static string ProducerVersion()
    {
        var assembly = typeof(OnnxExporter).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
    }
}
