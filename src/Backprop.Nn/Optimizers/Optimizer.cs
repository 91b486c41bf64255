using Backprop.Nn.Parameters;
using Backprop.Nn.Settings;
using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Optimizers;

namespace Backprop.Nn.Optimizers;

/// <summary>
/// Applies one update rule to the flat parameter buffer from a gradient <b>sum</b> and its sample
/// count: the division by the count, gradient clipping and the rule itself are fused into one pass
/// over the trainable weights (decayed) and one over the trainable biases (not decayed). State
/// buffers share the parameters' layout and are what a checkpoint saves.
/// </summary>
public sealed class Optimizer
{
    private readonly ParameterLayout _layout;
    private readonly Range _weights;
    private readonly Range _biases;
    private readonly float[][] _state;

    /// <summary>An optimiser with zeroed state.</summary>
    /// <param name="settings">The rule and its hyperparameters.</param>
    /// <param name="layout">The parameter layout.</param>
    /// <param name="frozenLayers">Layers from the input side that are never updated.</param>
    public Optimizer(OptimizerSettings settings, ParameterLayout layout, int frozenLayers = 0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(layout);
        settings.Validate();
        Settings = settings;
        _layout = layout;
        FrozenLayers = frozenLayers;
        (_weights, _biases) = layout.Trainable(frozenLayers);
        StateNames = settings.Kind switch
        {
            OptimizerKind.Sgd => [],
            OptimizerKind.Momentum or OptimizerKind.Nesterov => ["velocity"],
            OptimizerKind.Adam or OptimizerKind.AdamW => ["first-moment", "second-moment"],
            OptimizerKind.RmsProp => ["square-average"],
            OptimizerKind.AdaGrad => ["sum-of-squares"],
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "Unknown optimiser."),
        };
        _state = [.. StateNames.Select(_ => new float[layout.Length])];
    }

    /// <summary>The rule and its hyperparameters.</summary>
    public OptimizerSettings Settings { get; }

    /// <summary>Layers from the input side that are never updated.</summary>
    public int FrozenLayers { get; }

    /// <summary>Updates applied so far.</summary>
    public long Steps { get; private set; }

    /// <summary>The global L2 norm of the last mean gradient, before clipping.</summary>
    public double LastGradientNorm { get; private set; }

    /// <summary>Names of the state buffers, in the order of <see cref="State"/>.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>The state buffers (momentum, moments, …), each laid out like the parameters.</summary>
    public IReadOnlyList<float[]> State => _state;

    /// <summary>Puts back state saved from an optimiser of the same rule and layout.</summary>
    /// <param name="steps">Updates applied before the save.</param>
    /// <param name="state">The buffers, in the order of <see cref="StateNames"/>.</param>
    public void Restore(long steps, IReadOnlyList<float[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (state.Count != _state.Length || state.Any(s => s.Length != _layout.Length))
        {
            throw new ArgumentException(
                $"{Settings.Kind} keeps {_state.Length} buffers of {_layout.Length} floats; the saved state has {state.Count} of {string.Join('/', state.Select(s => s.Length))}.",
                nameof(state));
        }

        for (int i = 0; i < _state.Length; i++)
        {
            state[i].CopyTo(_state[i], 0);
        }

        Steps = steps;
    }

    /// <summary>One update: p ← rule(p, gradientSum / samples) at <paramref name="learningRate"/>.</summary>
    /// <param name="parameters">The flat parameters, updated in place.</param>
    /// <param name="gradientSum">The gradient summed over <paramref name="samples"/> samples.</param>
    /// <param name="samples">How many samples the sum covers, at least 1.</param>
    /// <param name="learningRate">This step's rate (the schedule's).</param>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradientSum, int samples, double learningRate)
    {
        if (parameters.Length != _layout.Length || gradientSum.Length != _layout.Length)
        {
            throw new ArgumentException($"The model has {_layout.Length} parameters; got {parameters.Length} parameters and {gradientSum.Length} gradients.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        float scale = 1f / samples;
        double norm = Math.Sqrt(Blas1.SumOfSquares(gradientSum[_weights]) + Blas1.SumOfSquares(gradientSum[_biases])) * scale;
        LastGradientNorm = norm;
        if (Settings.ClipNorm > 0 && norm > Settings.ClipNorm)
        {
            scale = (float)(scale * (Settings.ClipNorm / norm));
        }

        Steps++;
        Apply(parameters, gradientSum, _weights, (float)learningRate, (float)Settings.WeightDecay, scale);
        Apply(parameters, gradientSum, _biases, (float)learningRate, 0f, scale);
    }

    /// <summary>
    /// Starts an update that is applied range by range with <see cref="ApplyRange"/> (a data-parallel
    /// server applies each gradient bucket as soon as it has arrived). Ranges that together cover the
    /// parameters once give exactly the bits of <see cref="Step"/>: the rules are element-wise. Not
    /// with gradient clipping, which needs the whole gradient's norm before any element moves.
    /// </summary>
    public void BeginStep()
    {
        if (Settings.ClipNorm > 0)
        {
            throw new InvalidOperationException("With clip-norm an update needs the whole gradient's norm first: apply it with Step, not range by range.");
        }

        Steps++;
        LastGradientNorm = double.NaN;
    }

    /// <summary>The update begun by <see cref="BeginStep"/>, on the parameters in [offset, offset + count) only.</summary>
    /// <param name="parameters">The whole flat parameters; the range is updated in place.</param>
    /// <param name="gradientSum">The whole gradient-sum buffer; only the range is read.</param>
    /// <param name="offset">First element of the range.</param>
    /// <param name="count">Elements in the range.</param>
    /// <param name="samples">How many samples the range's sum covers, at least 1.</param>
    /// <param name="learningRate">This step's rate.</param>
    public void ApplyRange(Span<float> parameters, ReadOnlySpan<float> gradientSum, int offset, int count, int samples, double learningRate)
    {
        if (parameters.Length != _layout.Length || gradientSum.Length != _layout.Length)
        {
            throw new ArgumentException($"The model has {_layout.Length} parameters; got {parameters.Length} parameters and {gradientSum.Length} gradients.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _layout.Length - offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        float scale = 1f / samples;
        Apply(parameters, gradientSum, Within(_weights, offset, count), (float)learningRate, (float)Settings.WeightDecay, scale);
        Apply(parameters, gradientSum, Within(_biases, offset, count), (float)learningRate, 0f, scale);
    }

    private static Range Within(Range range, int offset, int count)
    {
        int start = Math.Max(range.Start.Value, offset);
        int end = Math.Min(range.End.Value, offset + count);
        return end > start ? start..end : 0..0;
    }

    private void Apply(Span<float> parameters, ReadOnlySpan<float> gradients, Range range, float lr, float decay, float scale)
    {
        var p = parameters[range];
        var g = gradients[range];
        if (p.IsEmpty)
        {
            return;
        }

        var s = Settings;
        switch (s.Kind)
        {
            case OptimizerKind.Sgd:
                OptimizerKernels.Sgd(p, g, lr, decay, scale);
                break;
            case OptimizerKind.Momentum:
            case OptimizerKind.Nesterov:
                OptimizerKernels.SgdMomentum(p, g, _state[0].AsSpan(range), lr, (float)s.Momentum, s.Kind == OptimizerKind.Nesterov, decay, scale);
                break;
            case OptimizerKind.Adam:
                OptimizerKernels.Adam(p, g, _state[0].AsSpan(range), _state[1].AsSpan(range), lr, Steps, s.Beta1, s.Beta2, (float)s.Epsilon, decay, scale);
                break;
            case OptimizerKind.AdamW:
                OptimizerKernels.AdamW(p, g, _state[0].AsSpan(range), _state[1].AsSpan(range), lr, Steps, s.Beta1, s.Beta2, (float)s.Epsilon, decay, scale);
                break;
            case OptimizerKind.RmsProp:
                OptimizerKernels.RmsProp(p, g, _state[0].AsSpan(range), [], [], lr, s.Alpha, (float)s.Epsilon, decay, 0f, false, scale);
                break;
            default:
                OptimizerKernels.AdaGrad(p, g, _state[0].AsSpan(range), lr, Steps, 0f, decay, (float)s.Epsilon, scale);
                break;
        }
    }
}
