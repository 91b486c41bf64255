using Backprop.Nn.Data;
using Backprop.Nn.Losses;
using Backprop.Nn.Models;
using Backprop.Nn.Parameters;
using Backprop.Nn.Persistence;
using Backprop.Numerics.Elementwise;

namespace Backprop.Onnx.Tests;

/// <summary>Untrained models with random weights, for tests about the file rather than the numbers.</summary>
internal static class SyntheticModels
{
    public static SavedModel Classifier(params Activation[] hidden)
    {
        var spec = new ModelSpec(5, [.. hidden.Select(a => new LayerSpec(8, a))], 3, LossKind.SoftmaxCrossEntropy);
        var random = new Random(20240612);
        var parameters = new float[new ParameterLayout(spec.Widths).Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var scaler = FeatureScaler.FromArrays(ScalingKind.Standardize, [1, 2, 3, 4, 5], [0.5f, 0.25f, 2, 1, 0.1f]);
        return new SavedModel(spec, parameters, scaler, TaskKind.Classification, ["cat", "dog", "bird"], ["a", "b", "c", "d", "e"], "# synthetic\n");
    }
}
