using Backprop.Nn.Initialization;
using Backprop.Nn.Losses;

namespace Backprop.Nn.Settings;

/// <summary>The network (<c>backprop.model</c>): hidden layers; the input size and output layer come from the data unless given.</summary>
public sealed record ModelSettings
{
    /// <summary><c>layers</c>: the hidden layers in order.</summary>
    public IReadOnlyList<LayerSettings> Layers { get; init; } =
    [
        new LayerSettings { Units = 256 },
        new LayerSettings { Units = 128 },
    ];

    /// <summary><c>inputs</c>: features per sample; null takes the data's.</summary>
    public int? Inputs { get; init; }

    /// <summary><c>outputs</c>: units of the output layer; null takes the classes or targets of the data.</summary>
    public int? Outputs { get; init; }

    /// <summary><c>loss</c>: null picks softmax cross-entropy for classification and MSE for regression.</summary>
    public LossKind? Loss { get; init; }

    /// <summary><c>output-init</c>: how the output layer's weights are drawn.</summary>
    public InitializerKind OutputInit { get; init; } = InitializerKind.Auto;

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    public void Validate()
    {
        for (int i = 0; i < Layers.Count; i++)
        {
            Layers[i].Validate($"backprop.model.layers[{i}]");
        }

        if (Inputs is { } inputs)
        {
            SettingChecks.AtLeast("backprop.model.inputs", inputs, 1);
        }

        if (Outputs is { } outputs)
        {
            SettingChecks.AtLeast("backprop.model.outputs", outputs, 1);
        }
    }
}
