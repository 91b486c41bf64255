using System.Globalization;
using System.Text;
using System.Text.Json;
using Backprop.Nn.Data;
using Backprop.Nn.Losses;
using Backprop.Nn.Persistence;

namespace Backprop.Onnx;

/// <summary>The human-readable parts of an exported model: its doc string and metadata properties.</summary>
internal static class ModelDescription
{
    /// <summary>The architecture layer by layer, the input scaling, and what the inputs and outputs hold.</summary>
    /// <param name="model">The model.</param>
    public static string DocString(SavedModel model)
    {
        var spec = model.Spec;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"A backprop multi-layer perceptron, {spec}, {model.Task.ToString().ToLowerInvariant()}.\n");
        text.Append(CultureInfo.InvariantCulture, $"Input '{OnnxNames.Input}': float32 [batch, {spec.Inputs}], raw features ({Describe(model.Scaler.Kind)}; the model scales them).\n");
        var widths = spec.Widths;
        var layers = spec.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            string kind = l == layers.Count - 1 ? "output layer" : $"hidden layer {l + 1}";
            text.Append(CultureInfo.InvariantCulture, $"  {kind}: Gemm {widths[l]} -> {widths[l + 1]}, {layers[l].Activation.Kind.ToString().ToLowerInvariant()}\n");
        }

        text.Append(spec.Loss switch
        {
            LossKind.SoftmaxCrossEntropy => $"  then Softmax.\nOutputs: '{OnnxNames.Probabilities}' float32 [batch, {spec.Outputs}] and '{OnnxNames.ClassIndex}' int64 [batch].\n",
            LossKind.BinaryCrossEntropy => $"  then Sigmoid, as [1 - p, p].\nOutputs: '{OnnxNames.Probabilities}' float32 [batch, 2] and '{OnnxNames.ClassIndex}' int64 [batch].\n",
            _ => $"Output: '{OnnxNames.Prediction}' float32 [batch, {spec.Outputs}], in the target's own units.\n",
        });
        if (model.Task == TaskKind.Classification)
        {
            text.Append("Classes: ").AppendJoin(", ", model.ClassNames).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Key-value metadata a program can read without parsing the doc string.</summary>
    /// <param name="model">The model.</param>
    public static IEnumerable<KeyValuePair<string, string>> Metadata(SavedModel model)
    {
        yield return new("backprop.architecture", model.Spec.ToString());
        yield return new("backprop.task", model.Task.ToString());
        yield return new("backprop.loss", model.Spec.Loss.ToString());
        yield return new("backprop.input_scaling", model.Scaler.Kind.ToString());
        yield return new("backprop.features", JsonSerializer.Serialize(model.FeatureNames, ModelDescriptionJson.Default.IReadOnlyListString));
        if (model.Task == TaskKind.Classification)
        {
            yield return new("backprop.classes", JsonSerializer.Serialize(model.ClassNames, ModelDescriptionJson.Default.IReadOnlyListString));
        }
    }

    private static string Describe(ScalingKind kind) => kind switch
    {
        ScalingKind.Divide255 => "pixel values 0-255, divided by 255 inside",
        ScalingKind.Standardize => "in the CSV's units, standardised inside with the training split's mean and deviation",
        ScalingKind.MinMax => "in the CSV's units, scaled inside to the training split's [min, max]",
        _ => "used as they are",
    };
}
