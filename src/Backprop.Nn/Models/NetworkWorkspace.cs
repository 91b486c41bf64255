namespace Backprop.Nn.Models;

/// <summary>
/// The activations and gradients of one batch through a network, allocated once for a maximum
/// batch size and reused by every step, so a warm step allocates nothing. One per thread of use:
/// a trainer and an evaluator each have their own.
/// </summary>
public sealed class NetworkWorkspace
{
    internal NetworkWorkspace(ModelSpec spec, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        var layers = spec.Layers;
        PreActivation = new float[layers.Count][];
        Output = new float[layers.Count][];
        Dropped = new float[layers.Count][];
        DropoutScale = new float[layers.Count][];
        Gradient = new float[layers.Count][];
        for (int l = 0; l < layers.Count; l++)
        {
            int size = capacity * layers[l].Units;
            Output[l] = new float[size];
            Gradient[l] = new float[size];
            PreActivation[l] = layers[l].Activation.NeedsInputForBackward ? new float[size] : [];
            Dropped[l] = layers[l].Dropout > 0 ? new float[size] : [];
            DropoutScale[l] = layers[l].Dropout > 0 ? new float[size] : [];
        }

        Targets = new float[capacity * spec.Outputs];
        Predicted = new int[capacity];
    }

    /// <summary>The largest batch it holds.</summary>
    public int Capacity { get; }

    /// <summary>Per layer: the affine output before the activation, kept only where the backward pass needs it.</summary>
    internal float[][] PreActivation { get; }

    /// <summary>Per layer: the activation's output (the logits for the output layer).</summary>
    internal float[][] Output { get; }

    /// <summary>Per layer with dropout: the output after dropout, the next layer's input.</summary>
    internal float[][] Dropped { get; }

    /// <summary>Per layer with dropout: 0 for a dropped unit, 1/(1 − p) for a kept one.</summary>
    internal float[][] DropoutScale { get; }

    /// <summary>Per layer: the gradient of the loss with respect to the layer's output, then its pre-activation.</summary>
    internal float[][] Gradient { get; }

    /// <summary>Float targets of the batch for the binary and squared-error losses.</summary>
    internal float[] Targets { get; }

    /// <summary>The predicted class of each row, for classification.</summary>
    internal int[] Predicted { get; }
}
