using Backprop.Nn.Losses;
using Backprop.Numerics.Elementwise;

namespace Backprop.Nn.Models;

/// <summary>
/// The architecture of a network as built: inputs, hidden layers, the output layer (linear, its
/// non-linearity folded into the loss) and the loss. Stored in every model file.
/// </summary>
/// <param name="Inputs">Features per sample.</param>
/// <param name="Hidden">The hidden layers in order.</param>
/// <param name="Outputs">Units of the output layer: classes (1 for binary), or regression targets.</param>
/// <param name="Loss">The loss, which fixes what the outputs mean.</param>
public sealed record ModelSpec(int Inputs, IReadOnlyList<LayerSpec> Hidden, int Outputs, LossKind Loss)
{
    /// <summary>Every layer, hidden then output; the output layer is linear with no dropout.</summary>
    public IReadOnlyList<LayerSpec> Layers => [.. Hidden, new LayerSpec(Outputs, Activation.Identity)];

    /// <summary>Widths from the input to the output: 784, 256, 128, 10.</summary>
    public IReadOnlyList<int> Widths => [Inputs, .. Hidden.Select(h => h.Units), Outputs];

    /// <summary>Multiply-adds of one sample's forward pass.</summary>
    public long MultiplyAddsPerSample => Widths.Zip(Widths.Skip(1), (a, b) => (long)a * b).Sum();

    /// <summary>"784-256-128-10 relu".</summary>
    public override string ToString() =>
        string.Join('-', Widths) + " " + string.Join(',', Hidden.Select(h => h.Activation.Kind.ToString().ToLowerInvariant()).Distinct()) + " " + Loss;

    /// <inheritdoc/>
    public bool Equals(ModelSpec? other) =>
        other is not null && Inputs == other.Inputs && Outputs == other.Outputs && Loss == other.Loss && Hidden.SequenceEqual(other.Hidden);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Inputs, Outputs, Loss, Hidden.Count);
}
