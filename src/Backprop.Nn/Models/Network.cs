using System.Numerics.Tensors;
using Backprop.Nn.Losses;
using Backprop.Nn.Parameters;
using Backprop.Nn.Randomness;
using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Gemm;
using Backprop.Numerics.Reductions;

namespace Backprop.Nn.Models;

/// <summary>
/// A stack of dense layers over one flat parameter buffer: the forward pass through the fused GEMM
/// epilogue (bias and activation in one pass), the loss, and the backward pass by the chain rule
/// writing the gradient of the <b>summed</b> loss into a buffer of the same layout. Weights are stored
/// inputs × outputs, so the forward pass is X·W, the input gradient dZ·Wᵀ and the weight gradient Xᵀ·dZ.
/// </summary>
public sealed class Network
{
    private readonly GemmEngine _gemm;
    private readonly LayerSpec[] _layers;
    private readonly int[] _widths;
    private readonly RandomSource _dropoutRandom = new(0);

    /// <summary>A network over existing parameters (laid out by <see cref="ParameterLayout"/> for <paramref name="spec"/>).</summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="parameters">The flat parameter buffer; the network reads and the optimiser updates it in place.</param>
    /// <param name="gemm">The engine that runs the matrix products.</param>
    public Network(ModelSpec spec, float[] parameters, GemmEngine gemm)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gemm);
        Spec = spec;
        _layers = [.. spec.Layers];
        _widths = [.. spec.Widths];
        Layout = new ParameterLayout(_widths);
        if (parameters.Length != Layout.Length)
        {
            throw new ArgumentException($"{spec} has {Layout.Length} parameters, the buffer {parameters.Length}.", nameof(parameters));
        }

        Parameters = parameters;
        _gemm = gemm;
    }

    /// <summary>The architecture.</summary>
    public ModelSpec Spec { get; }

    /// <summary>Where each layer's weights and bias are in <see cref="Parameters"/>.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>The flat parameter buffer.</summary>
    public float[] Parameters { get; private set; }

    /// <summary>
    /// Makes <paramref name="replacement"/> the parameter buffer and hands back the one it replaces:
    /// double buffering for a replica whose next weights arrive while it computes, without a copy.
    /// </summary>
    /// <param name="replacement">A buffer of <see cref="ParameterLayout.Length"/> values.</param>
    /// <returns>The buffer used until now.</returns>
    public float[] ExchangeParameters(float[] replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (replacement.Length != Layout.Length)
        {
            throw new ArgumentException($"{Spec} has {Layout.Length} parameters, the buffer {replacement.Length}.", nameof(replacement));
        }

        var previous = Parameters;
        Parameters = replacement;
        return previous;
    }

    /// <summary>Buffers for batches of up to <paramref name="capacity"/> rows.</summary>
    /// <param name="capacity">The largest batch the workspace will see.</param>
    public NetworkWorkspace CreateWorkspace(int capacity) => new(Spec, capacity);

    /// <summary>The outputs (logits, or regression values) of <paramref name="rows"/> samples, without dropout.</summary>
    /// <param name="x">Features, rows × inputs.</param>
    /// <param name="rows">Samples.</param>
    /// <param name="workspace">Buffers for at least <paramref name="rows"/> rows; the result lives in it until its next use.</param>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int rows, NetworkWorkspace workspace)
    {
        CheckBatch(x, rows, workspace);
        Propagate(x, rows, workspace, training: false, default);
        return workspace.Output[^1].AsSpan(0, rows * Spec.Outputs);
    }

    /// <summary>The summed loss (and correct count) of a batch, without dropout or gradient.</summary>
    /// <param name="x">Features, rows × inputs.</param>
    /// <param name="rows">Samples.</param>
    /// <param name="labels">Class labels (classification), else empty.</param>
    /// <param name="targets">Targets, rows × outputs (regression), else empty.</param>
    /// <param name="workspace">Buffers for at least <paramref name="rows"/> rows.</param>
    public BatchResult Score(ReadOnlySpan<float> x, int rows, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, NetworkWorkspace workspace)
    {
        CheckBatch(x, rows, workspace);
        Propagate(x, rows, workspace, training: false, default);
        return Loss(rows, labels, targets, workspace, []);
    }

    /// <summary>Predicted classes of the rows last passed through <paramref name="workspace"/> (classification).</summary>
    /// <param name="workspace">The workspace of the last <see cref="Forward"/> or <see cref="Score"/>.</param>
    /// <param name="rows">Rows of that batch.</param>
    public ReadOnlySpan<int> PredictedClasses(NetworkWorkspace workspace, int rows)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var logits = workspace.Output[^1].AsSpan(0, rows * Spec.Outputs);
        var predicted = workspace.Predicted.AsSpan(0, rows);
        for (int r = 0; r < rows; r++)
        {
            predicted[r] = Spec.Loss == LossKind.BinaryCrossEntropy
                ? (logits[r] > 0 ? 1 : 0)
                : TensorPrimitives.IndexOfMax(logits.Slice(r * Spec.Outputs, Spec.Outputs));
        }

        return predicted;
    }

    /// <summary>
    /// Forward with dropout, the loss, and the backward pass: writes into <paramref name="gradient"/>
    /// the gradient of the loss <b>summed</b> over the batch (the layers below
    /// <paramref name="frozenLayers"/> get none).
    /// </summary>
    /// <param name="x">Features, rows × inputs.</param>
    /// <param name="rows">Samples, at least 1.</param>
    /// <param name="labels">Class labels (classification), else empty.</param>
    /// <param name="targets">Targets, rows × outputs (regression), else empty.</param>
    /// <param name="gradient">A buffer of <see cref="ParameterLayout.Length"/> floats.</param>
    /// <param name="workspace">Buffers for at least <paramref name="rows"/> rows.</param>
    /// <param name="dropout">Which dropout masks this batch gets.</param>
    /// <param name="frozenLayers">Layers from the input side that are not trained.</param>
    /// <param name="layerDone">
    /// Told each layer (last first) as soon as its weight and bias gradients are final, with the
    /// batch's loss: a data-parallel worker sends them while the backward pass goes on.
    /// </param>
    public BatchResult ComputeGradient(
        ReadOnlySpan<float> x,
        int rows,
        ReadOnlySpan<int> labels,
        ReadOnlySpan<float> targets,
        Span<float> gradient,
        NetworkWorkspace workspace,
        DropoutDraw dropout,
        int frozenLayers = 0,
        Action<int, BatchResult>? layerDone = null)
    {
        CheckBatch(x, rows, workspace);
        if (gradient.Length != Layout.Length)
        {
            throw new ArgumentException($"The gradient buffer has {gradient.Length} floats; the model has {Layout.Length} parameters.", nameof(gradient));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(frozenLayers, _layers.Length);
        Propagate(x, rows, workspace, training: true, dropout);
        int last = _layers.Length - 1;
        var result = Loss(rows, labels, targets, workspace, workspace.Gradient[last].AsSpan(0, rows * _widths[^1]));
        Backpropagate(x, rows, gradient, workspace, frozenLayers, result, layerDone);
        return result;
    }

    private void Propagate(ReadOnlySpan<float> x, int rows, NetworkWorkspace ws, bool training, DropoutDraw dropout)
    {
        var parameters = Parameters.AsSpan();
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            int inputs = _widths[l], outputs = _widths[l + 1];
            ReadOnlySpan<float> input = l == 0 ? x : LayerInput(ws, l - 1, rows, training);
            var weight = Layout.Weight(l).Of(parameters);
            var bias = Layout.Bias(l).Of(parameters);
            var output = ws.Output[l].AsSpan(0, rows * outputs);

            if (training && layer.Activation.NeedsInputForBackward)
            {
                // The backward pass of this activation reads its input: keep the affine output apart.
                var z = ws.PreActivation[l].AsSpan(0, rows * outputs);
                _gemm.Compute(GemmForm.AB, rows, outputs, inputs, 1f, input, inputs, weight, outputs, 0f, z, outputs, bias, Activation.Identity);
                layer.Activation.Forward(z, output);
            }
            else
            {
                _gemm.Compute(GemmForm.AB, rows, outputs, inputs, 1f, input, inputs, weight, outputs, 0f, output, outputs, bias, layer.Activation);
            }

            if (training && layer.Dropout > 0)
            {
                ApplyDropout(ws, l, rows, outputs, layer.Dropout, dropout);
            }
        }
    }

    private void ApplyDropout(NetworkWorkspace ws, int layer, int rows, int units, double probability, DropoutDraw stream)
    {
        var scale = ws.DropoutScale[layer].AsSpan(0, rows * units);
        float kept = (float)(1 / (1 - probability));
        for (int r = 0; r < rows; r++)
        {
            _dropoutRandom.Reseed(stream.Seed, RandomPurpose.Dropout, stream.Step, ((long)(stream.FirstSample + r) * 256) + layer);
            var row = scale.Slice(r * units, units);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = _dropoutRandom.NextDouble() < probability ? 0f : kept;
            }
        }

        TensorPrimitives.Multiply(ws.Output[layer].AsSpan(0, rows * units), scale, ws.Dropped[layer].AsSpan(0, rows * units));
    }

    private BatchResult Loss(int rows, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, NetworkWorkspace ws, Span<float> gradient)
    {
        int outputs = Spec.Outputs;
        var logits = ws.Output[^1].AsSpan(0, rows * outputs);
        switch (Spec.Loss)
        {
            case LossKind.SoftmaxCrossEntropy:
                {
                    CheckLength(labels.Length, rows, "labels");
                    double loss = LossKernels.SoftmaxCrossEntropy(rows, outputs, logits, labels, 1f, gradient);
                    return new BatchResult(rows, loss, CountCorrect(ws, rows, labels));
                }

            case LossKind.BinaryCrossEntropy:
                {
                    CheckLength(labels.Length, rows, "labels");
                    var t = ws.Targets.AsSpan(0, rows);
                    for (int r = 0; r < rows; r++)
                    {
                        if ((uint)labels[r] > 1)
                        {
                            throw new ArgumentOutOfRangeException(nameof(labels), labels[r], $"labels[{r}] = {labels[r]}: binary cross-entropy needs classes 0 and 1.");
                        }

                        t[r] = labels[r];
                    }

                    double loss = LossKernels.BinaryCrossEntropyWithLogits(logits, t, 1f, gradient);
                    return new BatchResult(rows, loss, CountCorrect(ws, rows, labels));
                }

            default:
                {
                    // Mean over the targets of a sample, summed over the samples.
                    CheckLength(targets.Length, rows * outputs, "targets");
                    double loss = LossKernels.SquaredError(logits, targets, 1f / outputs, gradient) / outputs;
                    return new BatchResult(rows, loss, 0);
                }
        }
    }

    private int CountCorrect(NetworkWorkspace ws, int rows, ReadOnlySpan<int> labels)
    {
        var predicted = PredictedClasses(ws, rows);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            correct += predicted[r] == labels[r] ? 1 : 0;
        }

        return correct;
    }

    private void Backpropagate(ReadOnlySpan<float> x, int rows, Span<float> gradient, NetworkWorkspace ws, int frozenLayers, BatchResult result, Action<int, BatchResult>? layerDone)
    {
        var parameters = Parameters.AsSpan();
        for (int l = _layers.Length - 1; l >= frozenLayers; l--)
        {
            var layer = _layers[l];
            int inputs = _widths[l], outputs = _widths[l + 1];
            var g = ws.Gradient[l].AsSpan(0, rows * outputs);
            if (l < _layers.Length - 1)
            {
                // g holds the gradient with respect to the layer's output after dropout: undo the
                // dropout, then the activation, to get it with respect to the pre-activation.
                if (layer.Dropout > 0)
                {
                    TensorPrimitives.Multiply(g, ws.DropoutScale[l].AsSpan(0, rows * outputs), g);
                }

                ReadOnlySpan<float> z = layer.Activation.NeedsInputForBackward ? ws.PreActivation[l].AsSpan(0, rows * outputs) : [];
                layer.Activation.Backward(z, ws.Output[l].AsSpan(0, rows * outputs), g, g);
            }

            ReadOnlySpan<float> input = l == 0 ? x : LayerInput(ws, l - 1, rows, training: true);
            _gemm.Compute(GemmForm.AtB, inputs, outputs, rows, 1f, input, inputs, g, outputs, 0f, Layout.Weight(l).Of(gradient), outputs);
            MatrixReductions.ColumnSums(rows, outputs, g, accumulate: false, Layout.Bias(l).Of(gradient));

            // Before the gradient for the layer below: its sending overlaps that product.
            layerDone?.Invoke(l, result);
            if (l > frozenLayers)
            {
                var below = ws.Gradient[l - 1].AsSpan(0, rows * inputs);
                _gemm.Compute(GemmForm.ABt, rows, inputs, outputs, 1f, g, outputs, Layout.Weight(l).Of(parameters), outputs, 0f, below, inputs);
            }
        }
    }

    private ReadOnlySpan<float> LayerInput(NetworkWorkspace ws, int layer, int rows, bool training)
    {
        int units = _widths[layer + 1];
        return training && _layers[layer].Dropout > 0
            ? ws.Dropped[layer].AsSpan(0, rows * units)
            : ws.Output[layer].AsSpan(0, rows * units);
    }

    private void CheckBatch(ReadOnlySpan<float> x, int rows, NetworkWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (rows > workspace.Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The workspace holds batches of up to {workspace.Capacity} rows.");
        }

        CheckLength(x.Length, rows * Spec.Inputs, "x");
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} values; the batch needs {expected}.", name);
        }
    }
}
