using Backprop.Nn.Data;
using Backprop.Nn.Initialization;
using Backprop.Nn.Losses;
using Backprop.Nn.Parameters;
using Backprop.Nn.Randomness;
using Backprop.Nn.Settings;
using Backprop.Numerics.Elementwise;

namespace Backprop.Nn.Models;

/// <summary>Builds a network's architecture from the settings and the data, and draws its initial weights.</summary>
public static class NetworkFactory
{
    /// <summary>
    /// The architecture: the configured hidden layers, the input width of the data, and an output
    /// layer and loss that fit the task (softmax cross-entropy over the classes, or squared error
    /// over the targets), unless the settings fix them.
    /// </summary>
    /// <param name="settings">The model section.</param>
    /// <param name="data">The training data.</param>
    public static ModelSpec Resolve(ModelSettings settings, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        settings.Validate();
        if (settings.Inputs is { } inputs && inputs != data.FeatureCount)
        {
            throw new InvalidSettingException("backprop.model.inputs", $"is {inputs}, but {data.Source} has {data.FeatureCount} features per sample.");
        }

        var loss = settings.Loss ?? (data.Task == TaskKind.Classification ? LossKind.SoftmaxCrossEntropy : LossKind.MeanSquaredError);
        bool classification = data.Task == TaskKind.Classification;
        if (classification == (loss == LossKind.MeanSquaredError))
        {
            throw new InvalidSettingException(
                "backprop.model.loss", $"{loss} does not fit {data.Source}, which is a {data.Task.ToString().ToLowerInvariant()} dataset.");
        }

        if (loss == LossKind.BinaryCrossEntropy && data.ClassCount != 2)
        {
            throw new InvalidSettingException("backprop.model.loss", $"binary cross-entropy needs 2 classes; {data.Source} has {data.ClassCount}.");
        }

        int natural = loss switch
        {
            LossKind.BinaryCrossEntropy => 1,
            LossKind.SoftmaxCrossEntropy => data.ClassCount,
            _ => data.TargetCount,
        };
        if (settings.Outputs is { } outputs && outputs != natural)
        {
            throw new InvalidSettingException(
                "backprop.model.outputs", $"is {outputs}, but {loss} on {data.Source} needs {natural} output units.");
        }

        var hidden = settings.Layers.Select(l => new LayerSpec(l.Units, l.Activation, l.Dropout)).ToList();
        return new ModelSpec(data.FeatureCount, hidden, natural, loss);
    }

    /// <summary>
    /// Initial parameters for <paramref name="spec"/>: each layer's weights drawn by its scheme from its
    /// own stream of <paramref name="seed"/>, biases set to their constant.
    /// </summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="settings">The model section (schemes, scales, bias constants).</param>
    /// <param name="seed">The run's seed.</param>
    public static float[] InitialParameters(ModelSpec spec, ModelSettings settings, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        var layout = new ParameterLayout(spec.Widths);
        var parameters = new float[layout.Length];
        var widths = spec.Widths;
        for (int l = 0; l < layout.LayerCount; l++)
        {
            bool output = l == layout.LayerCount - 1;
            var layer = output ? null : settings.Layers[l];
            var activation = output ? Activation.Identity : layer!.Activation;
            var kind = WeightInitializer.Resolve(output ? settings.OutputInit : layer!.Init, activation);
            var random = RandomSource.Derive(seed, RandomPurpose.Initialization, l);
            WeightInitializer.Fill(kind, layout.Weight(l).Of(parameters.AsSpan()), widths[l], widths[l + 1], layer?.InitScale ?? 0.05, random);
            layout.Bias(l).Of(parameters.AsSpan()).Fill((float)(layer?.Bias ?? 0));
        }

        return parameters;
    }
}
