using Backprop.Numerics.Elementwise;

namespace Backprop.Numerics.Optimizers;

/// <summary>
/// Optimiser updates as single passes over flat buffers: parameters, gradients and every state buffer have the
/// same length and layout (the whole model at once). Each follows the update of the PyTorch <c>torch.optim</c>
/// class of the same name (defaults included; no <c>maximize</c>, <c>amsgrad</c> or SGD <c>dampening</c>).
/// <para>
/// Every kernel first forms the effective gradient ĝ = gradScale·g (+ wd·p where the weight decay is coupled,
/// PyTorch's <c>weight_decay</c> on SGD, Adam, RMSprop and Adagrad), so a caller holding a gradient <i>sum</i>
/// passes gradScale = 1/batch instead of making a separate averaging pass. State buffers start at zero (PyTorch's
/// lazily created zero state; for SGD momentum, v = 0 then v ← μ·0 + ĝ = ĝ equals PyTorch's first-step clone).
/// No two buffers may overlap.
/// </para>
/// </summary>
public static class OptimizerKernels
{
    /// <summary>
    /// SGD without momentum (<c>torch.optim.SGD</c>, momentum = 0): ĝ = gradScale·g + wd·p; p ← p − lr·ĝ.
    /// </summary>
    /// <param name="parameters">Parameters p, updated in place.</param>
    /// <param name="gradients">Gradients g, the length of <paramref name="parameters"/>.</param>
    /// <param name="learningRate">lr ≥ 0.</param>
    /// <param name="weightDecay">L2 coefficient wd ≥ 0, added to the gradient.</param>
    /// <param name="gradScale">Multiplies g before anything else (1/batch for a summed gradient).</param>
    public static void Sgd(
        Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, float weightDecay = 0f, float gradScale = 1f)
    {
        CheckBuffers(parameters, gradients);
        CheckCommon(learningRate, weightDecay, gradScale);
        OptimizerLoop.Run(parameters, gradients, [], [], [], new OptimizerOperators.Sgd(learningRate, weightDecay, gradScale));
    }

    /// <summary>
    /// SGD with momentum (<c>torch.optim.SGD</c>, dampening = 0): ĝ = gradScale·g + wd·p; v ← μ·v + ĝ;
    /// p ← p − lr·v, or with Nesterov p ← p − lr·(ĝ + μ·v) using the updated v.
    /// </summary>
    /// <param name="parameters">Parameters p, updated in place.</param>
    /// <param name="gradients">Gradients g.</param>
    /// <param name="velocity">Momentum buffer v, zero before the first step, updated in place.</param>
    /// <param name="learningRate">lr ≥ 0.</param>
    /// <param name="momentum">μ ≥ 0.</param>
    /// <param name="nesterov">Use Nesterov momentum (requires μ &gt; 0).</param>
    /// <param name="weightDecay">L2 coefficient wd ≥ 0, added to the gradient.</param>
    /// <param name="gradScale">Multiplies g before anything else.</param>
    public static void SgdMomentum(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> velocity,
        float learningRate,
        float momentum,
        bool nesterov = false,
        float weightDecay = 0f,
        float gradScale = 1f)
    {
        CheckBuffers(parameters, gradients);
        CheckState(parameters, gradients, velocity, nameof(velocity));
        CheckCommon(learningRate, weightDecay, gradScale);
        SpanChecks.NonNegative(momentum, nameof(momentum));
        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0.", nameof(nesterov));
        }

        OptimizerLoop.Run(
            parameters, gradients, velocity, [], [], new OptimizerOperators.Momentum(learningRate, momentum, nesterov, weightDecay, gradScale));
    }

    /// <summary>
    /// Adam (<c>torch.optim.Adam</c>, amsgrad = false) at step t ≥ 1: ĝ = gradScale·g + wd·p;
    /// m ← β1·m + (1 − β1)·ĝ; v ← β2·v + (1 − β2)·ĝ²;
    /// p ← p − (lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε).
    /// </summary>
    /// <param name="parameters">Parameters p, updated in place.</param>
    /// <param name="gradients">Gradients g.</param>
    /// <param name="firstMoment">m, zero before step 1, updated in place.</param>
    /// <param name="secondMoment">v, zero before step 1, updated in place.</param>
    /// <param name="learningRate">lr ≥ 0.</param>
    /// <param name="step">t, the 1-based number of this step (bias correction).</param>
    /// <param name="beta1">β1 ∈ [0, 1); a double so that 1 − β1 is formed exactly, as PyTorch does.</param>
    /// <param name="beta2">β2 ∈ [0, 1); a double so that 1 − β2 is formed exactly (1 − 0.999f is 1.3e-5 off 0.001).</param>
    /// <param name="epsilon">ε ≥ 0, added to the bias-corrected √v.</param>
    /// <param name="weightDecay">L2 coefficient wd ≥ 0, added to the gradient (coupled, unlike <see cref="AdamW"/>).</param>
    /// <param name="gradScale">Multiplies g before anything else.</param>
    public static void Adam(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> firstMoment,
        Span<float> secondMoment,
        float learningRate,
        long step,
        double beta1 = 0.9,
        double beta2 = 0.999,
        float epsilon = 1e-8f,
        float weightDecay = 0f,
        float gradScale = 1f) =>
        AdamCore(
            parameters, gradients, firstMoment, secondMoment, learningRate, step, beta1, beta2, epsilon, weightDecay, gradScale, decoupled: false);

    /// <summary>
    /// AdamW (<c>torch.optim.AdamW</c>, amsgrad = false) at step t ≥ 1: p ← p·(1 − lr·wd) (decoupled decay), then
    /// with ĝ = gradScale·g: m ← β1·m + (1 − β1)·ĝ; v ← β2·v + (1 − β2)·ĝ²;
    /// p ← p − (lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + ε).
    /// </summary>
    /// <param name="parameters">Parameters p, updated in place.</param>
    /// <param name="gradients">Gradients g.</param>
    /// <param name="firstMoment">m, zero before step 1, updated in place.</param>
    /// <param name="secondMoment">v, zero before step 1, updated in place.</param>
    /// <param name="learningRate">lr ≥ 0.</param>
    /// <param name="step">t, the 1-based number of this step (bias correction).</param>
    /// <param name="beta1">β1 ∈ [0, 1); a double so that 1 − β1 is formed exactly, as PyTorch does.</param>
    /// <param name="beta2">β2 ∈ [0, 1); a double so that 1 − β2 is formed exactly (1 − 0.999f is 1.3e-5 off 0.001).</param>
    /// <param name="epsilon">ε ≥ 0, added to the bias-corrected √v.</param>
    /// <param name="weightDecay">Decoupled decay wd ≥ 0 (PyTorch's AdamW default is 0.01).</param>
    /// <param name="gradScale">Multiplies g before anything else.</param>
    public static void AdamW(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> firstMoment,
        Span<float> secondMoment,
        float learningRate,
        long step,
        double beta1 = 0.9,
        double beta2 = 0.999,
        float epsilon = 1e-8f,
        float weightDecay = 0.01f,
        float gradScale = 1f) =>
        AdamCore(
            parameters, gradients, firstMoment, secondMoment, learningRate, step, beta1, beta2, epsilon, weightDecay, gradScale, decoupled: true);

    /// <summary>
    /// RMSProp (<c>torch.optim.RMSprop</c>): ĝ = gradScale·g + wd·p; sq ← α·sq + (1 − α)·ĝ²;
    /// if centred, ga ← α·ga + (1 − α)·ĝ and d = √(sq − ga²) + ε (sq − ga² clamped at 0 against rounding),
    /// else d = √sq + ε; if μ &gt; 0, buf ← μ·buf + ĝ / d and p ← p − lr·buf, else p ← p − lr·ĝ / d.
    /// </summary>
    /// <param name="parameters">Parameters p, updated in place.</param>
    /// <param name="gradients">Gradients g.</param>
    /// <param name="squareAverage">sq, zero before the first step, updated in place.</param>
    /// <param name="momentumBuffer">buf, required (zero before the first step) when <paramref name="momentum"/> &gt; 0; otherwise may be empty.</param>
    /// <param name="gradientAverage">ga, required (zero before the first step) when <paramref name="centered"/>; otherwise may be empty.</param>
    /// <param name="learningRate">lr ≥ 0.</param>
    /// <param name="alpha">Smoothing constant α ∈ [0, 1]; a double so that 1 − α is formed exactly, as PyTorch does.</param>
    /// <param name="epsilon">ε ≥ 0.</param>
    /// <param name="weightDecay">L2 coefficient wd ≥ 0, added to the gradient.</param>
    /// <param name="momentum">μ ≥ 0; 0 disables the momentum buffer.</param>
    /// <param name="centered">Normalise by the estimated variance instead of the uncentred second moment.</param>
    /// <param name="gradScale">Multiplies g before anything else.</param>
    public static void RmsProp(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> squareAverage,
        Span<float> momentumBuffer,
        Span<float> gradientAverage,
        float learningRate,
        double alpha = 0.99,
        float epsilon = 1e-8f,
        float weightDecay = 0f,
        float momentum = 0f,
        bool centered = false,
        float gradScale = 1f)
    {
        CheckBuffers(parameters, gradients);
        CheckState(parameters, gradients, squareAverage, nameof(squareAverage));
        CheckCommon(learningRate, weightDecay, gradScale);
        if (!(alpha >= 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in [0, 1].");
        }

        SpanChecks.NonNegative(epsilon, nameof(epsilon));
        SpanChecks.NonNegative(momentum, nameof(momentum));

        bool useMomentum = momentum > 0f;
        if (useMomentum || !momentumBuffer.IsEmpty)
        {
            CheckState(parameters, gradients, momentumBuffer, nameof(momentumBuffer));
            SpanChecks.NoOverlap(squareAverage, nameof(squareAverage), momentumBuffer, nameof(momentumBuffer));
        }

        if (centered || !gradientAverage.IsEmpty)
        {
            CheckState(parameters, gradients, gradientAverage, nameof(gradientAverage));
            SpanChecks.NoOverlap(squareAverage, nameof(squareAverage), gradientAverage, nameof(gradientAverage));
            SpanChecks.NoOverlap(momentumBuffer, nameof(momentumBuffer), gradientAverage, nameof(gradientAverage));
        }

        OptimizerLoop.Run(
            parameters,
            gradients,
            squareAverage,
            momentumBuffer,
            gradientAverage,
            new OptimizerOperators.RmsProp(learningRate, alpha, epsilon, momentum, useMomentum, centered, weightDecay, gradScale));
    }

    /// <summary>
    /// AdaGrad (<c>torch.optim.Adagrad</c>, initial accumulator 0) at step t ≥ 1: ĝ = gradScale·g + wd·p;
    /// clr = lr / (1 + (t − 1)·lrDecay); sum ← sum + ĝ²; p ← p − clr·ĝ / (√sum + ε).
    /// </summary>
    /// <param name="parameters">Parameters p, updated in place.</param>
    /// <param name="gradients">Gradients g.</param>
    /// <param name="sumOfSquares">The accumulator, zero before step 1, updated in place.</param>
    /// <param name="learningRate">lr ≥ 0.</param>
    /// <param name="step">t, the 1-based number of this step (learning-rate decay).</param>
    /// <param name="learningRateDecay">lrDecay ≥ 0.</param>
    /// <param name="weightDecay">L2 coefficient wd ≥ 0, added to the gradient.</param>
    /// <param name="epsilon">ε ≥ 0.</param>
    /// <param name="gradScale">Multiplies g before anything else.</param>
    public static void AdaGrad(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> sumOfSquares,
        float learningRate,
        long step,
        float learningRateDecay = 0f,
        float weightDecay = 0f,
        float epsilon = 1e-10f,
        float gradScale = 1f)
    {
        CheckBuffers(parameters, gradients);
        CheckState(parameters, gradients, sumOfSquares, nameof(sumOfSquares));
        CheckCommon(learningRate, weightDecay, gradScale);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        SpanChecks.NonNegative(learningRateDecay, nameof(learningRateDecay));
        SpanChecks.NonNegative(epsilon, nameof(epsilon));

        float currentRate = (float)(learningRate / (1.0 + ((step - 1) * (double)learningRateDecay)));
        OptimizerLoop.Run(
            parameters, gradients, sumOfSquares, [], [], new OptimizerOperators.AdaGrad(currentRate, epsilon, weightDecay, gradScale));
    }

    private static void AdamCore(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> firstMoment,
        Span<float> secondMoment,
        float learningRate,
        long step,
        double beta1,
        double beta2,
        float epsilon,
        float weightDecay,
        float gradScale,
        bool decoupled)
    {
        CheckBuffers(parameters, gradients);
        CheckState(parameters, gradients, firstMoment, nameof(firstMoment));
        CheckState(parameters, gradients, secondMoment, nameof(secondMoment));
        SpanChecks.NoOverlap(firstMoment, nameof(firstMoment), secondMoment, nameof(secondMoment));
        CheckCommon(learningRate, weightDecay, gradScale);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        SpanChecks.UnitInterval(beta1, nameof(beta1));
        SpanChecks.UnitInterval(beta2, nameof(beta2));
        SpanChecks.NonNegative(epsilon, nameof(epsilon));

        // Bias corrections in double: β^t for large t underflows gracefully to 0 and the corrections tend to 1.
        double biasCorrection1 = 1.0 - Math.Pow(beta1, step);
        double biasCorrection2 = 1.0 - Math.Pow(beta2, step);
        float stepSize = (float)(learningRate / biasCorrection1);
        float invSqrtBc2 = (float)(1.0 / Math.Sqrt(biasCorrection2));
        float decay = decoupled ? (float)(1.0 - ((double)learningRate * weightDecay)) : 1f;
        float l2 = decoupled ? 0f : weightDecay;
        OptimizerLoop.Run(
            parameters,
            gradients,
            firstMoment,
            secondMoment,
            [],
            new OptimizerOperators.Adam(beta1, beta2, epsilon, stepSize, invSqrtBc2, decay, l2, gradScale));
    }

    private static void CheckBuffers(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        SpanChecks.SameLength(parameters.Length, nameof(parameters), gradients.Length, nameof(gradients));
        SpanChecks.NoOverlap(parameters, nameof(parameters), gradients, nameof(gradients));
    }

    private static void CheckState(Span<float> parameters, ReadOnlySpan<float> gradients, ReadOnlySpan<float> state, string stateName)
    {
        SpanChecks.SameLength(parameters.Length, nameof(parameters), state.Length, stateName);
        SpanChecks.NoOverlap(parameters, nameof(parameters), state, stateName);
        SpanChecks.NoOverlap(gradients, nameof(gradients), state, stateName);
    }

    private static void CheckCommon(float learningRate, float weightDecay, float gradScale)
    {
        SpanChecks.NonNegative(learningRate, nameof(learningRate));
        SpanChecks.NonNegative(weightDecay, nameof(weightDecay));
        if (!float.IsFinite(gradScale))
        {
            throw new ArgumentOutOfRangeException(nameof(gradScale), gradScale, "gradScale must be finite.");
        }
    }
}
