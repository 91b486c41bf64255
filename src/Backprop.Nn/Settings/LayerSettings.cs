using Backprop.Nn.Initialization;
using Backprop.Numerics.Elementwise;

namespace Backprop.Nn.Settings;

/// <summary>One hidden dense layer (an element of <c>backprop.model.layers</c>).</summary>
public sealed record LayerSettings
{
    /// <summary><c>units</c>: outputs of the layer.</summary>
    public int Units { get; init; }

    /// <summary><c>activation</c> (and <c>slope</c> for leaky-relu).</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary><c>dropout</c>: probability of zeroing each output while training (inverted dropout).</summary>
    public double Dropout { get; init; }

    /// <summary><c>init</c>: how the weights are drawn.</summary>
    public InitializerKind Init { get; init; } = InitializerKind.Auto;

    /// <summary><c>init-scale</c>: the bound of <c>uniform</c> or the deviation of <c>normal</c>.</summary>
    public double InitScale { get; init; } = 0.05;

    /// <summary><c>bias</c>: the constant every bias starts at.</summary>
    public double Bias { get; init; }

    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad value.</summary>
    /// <param name="keyPath">This layer's key, e.g. <c>backprop.model.layers[1]</c>.</param>
    public void Validate(string keyPath)
    {
        SettingChecks.AtLeast(keyPath + ".units", Units, 1);
        SettingChecks.Fraction(keyPath + ".dropout", Dropout);
        SettingChecks.Positive(keyPath + ".init-scale", InitScale);
        if (!float.IsFinite(Activation.Slope))
        {
            throw new InvalidSettingException(keyPath + ".slope", "must be a finite number.");
        }

        if (!double.IsFinite(Bias))
        {
            throw new InvalidSettingException(keyPath + ".bias", "must be a finite number.");
        }
    }
}
