using Backprop.Numerics.Elementwise;

namespace Backprop.Nn.Models;

/// <summary>A dense layer of a built network: its width, activation and dropout.</summary>
/// <param name="Units">Outputs of the layer.</param>
/// <param name="Activation">Applied after the affine map.</param>
/// <param name="Dropout">Probability of zeroing an output while training; 0 for none.</param>
public sealed record LayerSpec(int Units, Activation Activation, double Dropout = 0);
