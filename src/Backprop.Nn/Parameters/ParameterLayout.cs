namespace Backprop.Nn.Parameters;

/// <summary>
/// Where every layer's weights and bias live in the one flat parameter buffer. All weight matrices
/// come first, then all biases: weight decay (weights only) and freezing the first layers are then
/// each a contiguous range, so every update is one or two vectorised passes whatever the depth.
/// Gradients and optimiser state use the same layout.
/// </summary>
public sealed class ParameterLayout
{
    private readonly ParameterBlock[] _weights;
    private readonly ParameterBlock[] _biases;

    /// <summary>The layout of a dense stack with the given layer widths (inputs first).</summary>
    /// <param name="widths">Units of each layer, the input width first: 784, 256, 128, 10.</param>
    public ParameterLayout(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2)
        {
            throw new ArgumentException("A network needs an input width and at least one layer.", nameof(widths));
        }

        int layers = widths.Count - 1;
        _weights = new ParameterBlock[layers];
        _biases = new ParameterBlock[layers];
        long offset = 0;
        for (int i = 0; i < layers; i++)
        {
            _weights[i] = new ParameterBlock($"layers.{i}.weight", checked((int)offset), widths[i], widths[i + 1]);
            offset += (long)widths[i] * widths[i + 1];
        }

        WeightCount = checked((int)offset);
        for (int i = 0; i < layers; i++)
        {
            _biases[i] = new ParameterBlock($"layers.{i}.bias", checked((int)offset), 1, widths[i + 1]);
            offset += widths[i + 1];
        }

        Length = checked((int)offset);
    }

    /// <summary>Dense layers.</summary>
    public int LayerCount => _weights.Length;

    /// <summary>Elements of the flat buffer.</summary>
    public int Length { get; }

    /// <summary>Elements that are weights (the prefix [0, WeightCount)).</summary>
    public int WeightCount { get; }

    /// <summary>Layer <paramref name="layer"/>'s weight matrix, inputs × outputs.</summary>
    /// <param name="layer">0-based layer index.</param>
    public ParameterBlock Weight(int layer) => _weights[layer];

    /// <summary>Layer <paramref name="layer"/>'s bias, 1 × outputs.</summary>
    /// <param name="layer">0-based layer index.</param>
    public ParameterBlock Bias(int layer) => _biases[layer];

    /// <summary>Every block, weights then biases.</summary>
    public IEnumerable<ParameterBlock> Blocks => _weights.Concat(_biases);

    /// <summary>
    /// The ranges an update touches when the first <paramref name="frozenLayers"/> layers are frozen:
    /// the trainable weights (decayed) and the trainable biases (not decayed).
    /// </summary>
    /// <param name="frozenLayers">Layers from the input side that are not trained.</param>
    public (Range Weights, Range Biases) Trainable(int frozenLayers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frozenLayers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frozenLayers, LayerCount);
        int weightStart = frozenLayers == LayerCount ? WeightCount : _weights[frozenLayers].Offset;
        int biasStart = frozenLayers == LayerCount ? Length : _biases[frozenLayers].Offset;
        return (weightStart..WeightCount, biasStart..Length);
    }
}
