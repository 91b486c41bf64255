using System.Numerics.Tensors;
using Backprop.Numerics.Elementwise;

namespace Backprop.Numerics.Reductions;

/// <summary>
/// Loss functions fused with their gradients. Each returns the <b>sum</b> of the per-element (or per-row) losses
/// as a double and writes the gradient of that sum multiplied by <c>gradScale</c> (pass 1/batch for a mean, or 1
/// to keep a sum gradient as the parameter server expects). An empty gradient span computes the loss only.
/// </summary>
public static class LossKernels
{
    /// <summary>
    /// Softmax cross-entropy with integer labels over <c>rows × classes</c> logits, one pass per row:
    /// loss_r = log Σ_k e^(x[r, k]) − x[r, label_r] (computed as m + log Σ e^(x − m) with m the row maximum, so
    /// it never takes log 0 or overflows) and gradient[r, j] = gradScale·(softmax(x_r)_j − [j = label_r]).
    /// </summary>
    /// <param name="rows">Number of samples.</param>
    /// <param name="classes">Number of classes (≥ 1).</param>
    /// <param name="logits">Logits, rows × classes, row-major.</param>
    /// <param name="labels">Class index of each row, 0 ≤ label &lt; classes.</param>
    /// <param name="gradScale">Multiplies the gradient (not the returned loss).</param>
    /// <param name="gradient">Gradient with respect to the logits, rows × classes, or empty for the loss only;
    /// may be exactly <paramref name="logits"/> (the logits are then overwritten).</param>
    /// <returns>Σ_r loss_r.</returns>
    /// <exception cref="ArgumentException">Bad lengths or overlap; a label out of range (naming the row and value).</exception>
    public static double SoftmaxCrossEntropy(
        int rows, int classes, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, float gradScale, Span<float> gradient)
    {
        CheckClassification(rows, classes, logits, gradient);
        SpanChecks.SameLength(rows, nameof(rows), labels.Length, nameof(labels));
        SpanChecks.NoPartialOverlap(logits, nameof(logits), gradient, nameof(gradient));

        // All labels are checked before anything is written, so a bad batch leaves the gradient untouched.
        for (int r = 0; r < labels.Length; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[r], $"labels[{r}] = {labels[r]} is not a class index in [0, {classes}).");
            }
        }

        bool store = !gradient.IsEmpty;
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            var x = logits.Slice(r * classes, classes);
            int label = labels[r];

            // Read before the gradient (which may alias the logits) is written.
            float labelLogit = x[label];
            float max = TensorPrimitives.Max(x);
            var g = store ? gradient.Slice(r * classes, classes) : [];
            double sum = VectorLoops.UnaryAccumulate(x, g, new ReductionOperators.ExpShift(max));
            if (store)
            {
                TensorPrimitives.Multiply(g, (float)(gradScale / sum), g);
                g[label] -= gradScale;
            }

            loss += (double)max - labelLogit + Math.Log(sum);
        }

        return loss;
    }

    /// <summary>
    /// Softmax cross-entropy with soft targets (one probability row per sample): loss_r = −Σ_j t[r, j]·log softmax(x_r)_j
    /// = (Σ_j t[r, j])·LSE(x_r) − Σ_j t[r, j]·x[r, j], gradient[r, j] = gradScale·((Σ_k t[r, k])·softmax(x_r)_j − t[r, j])
    /// (the usual softmax − t when the targets sum to one).
    /// </summary>
    /// <param name="rows">Number of samples.</param>
    /// <param name="classes">Number of classes (≥ 1).</param>
    /// <param name="logits">Logits, rows × classes, row-major.</param>
    /// <param name="targets">Target distributions, rows × classes; must not overlap <paramref name="gradient"/>.</param>
    /// <param name="gradScale">Multiplies the gradient (not the returned loss).</param>
    /// <param name="gradient">Gradient with respect to the logits, rows × classes, or empty for the loss only;
    /// may be exactly <paramref name="logits"/>.</param>
    /// <returns>Σ_r loss_r.</returns>
    public static double SoftmaxCrossEntropySoftTargets(
        int rows, int classes, ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, float gradScale, Span<float> gradient)
    {
        CheckClassification(rows, classes, logits, gradient);
        SpanChecks.MatrixLength(rows, classes, targets.Length, nameof(targets));
        SpanChecks.NoPartialOverlap(logits, nameof(logits), gradient, nameof(gradient));
        SpanChecks.NoOverlap(targets, nameof(targets), gradient, nameof(gradient));

        bool store = !gradient.IsEmpty;
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            var x = logits.Slice(r * classes, classes);
            var t = targets.Slice(r * classes, classes);

            // Read before the gradient (which may alias the logits) is written.
            double targetSum = Blas1.Sum(t);
            double targetDotLogits = Blas1.Dot(t, x);
            float max = TensorPrimitives.Max(x);
            var g = store ? gradient.Slice(r * classes, classes) : [];
            double sum = VectorLoops.UnaryAccumulate(x, g, new ReductionOperators.ExpShift(max));
            if (store)
            {
                VectorLoops.Binary(g, t, g, new LossOperators.ScaledDifference((float)(gradScale * targetSum / sum), gradScale));
            }

            loss += (targetSum * (max + Math.Log(sum))) - targetDotLogits;
        }

        return loss;
    }

    /// <summary>
    /// Squared error: returns Σ_i (y[i] − t[i])² (no ½, no mean) and writes gradient[i] = 2·gradScale·(y[i] − t[i]).
    /// </summary>
    /// <param name="predictions">Predictions y.</param>
    /// <param name="targets">Targets t, the length of <paramref name="predictions"/>.</param>
    /// <param name="gradScale">Multiplies the gradient (not the returned loss).</param>
    /// <param name="gradient">Gradient with respect to y, or empty for the loss only; may be exactly one of the inputs.</param>
    /// <returns>The sum of squared differences.</returns>
    public static double SquaredError(
        ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, float gradScale, Span<float> gradient)
    {
        CheckPairwise(predictions, nameof(predictions), targets, nameof(targets), gradient);
        return VectorLoops.BinaryAccumulate(predictions, targets, gradient, new LossOperators.SquaredError(2f * gradScale));
    }

    /// <summary>
    /// Binary cross-entropy on logits z with targets t ∈ [0, 1] (PyTorch <c>binary_cross_entropy_with_logits</c>,
    /// summed): returns Σ_i max(z, 0) − z·t + log(1 + e^−|z|), which is stable for any finite z, and writes
    /// gradient[i] = gradScale·(σ(z[i]) − t[i]).
    /// </summary>
    /// <param name="logits">Logits z.</param>
    /// <param name="targets">Targets t, the length of <paramref name="logits"/>.</param>
    /// <param name="gradScale">Multiplies the gradient (not the returned loss).</param>
    /// <param name="gradient">Gradient with respect to z, or empty for the loss only; may be exactly one of the inputs.</param>
    /// <returns>The summed loss.</returns>
    public static double BinaryCrossEntropyWithLogits(
        ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, float gradScale, Span<float> gradient)
    {
        CheckPairwise(logits, nameof(logits), targets, nameof(targets), gradient);
        return VectorLoops.BinaryAccumulate(logits, targets, gradient, new LossOperators.BinaryCrossEntropy(gradScale));
    }

    private static void CheckClassification(int rows, int classes, ReadOnlySpan<float> logits, ReadOnlySpan<float> gradient)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        SpanChecks.MatrixLength(rows, classes, logits.Length, nameof(logits));
        if (!gradient.IsEmpty)
        {
            SpanChecks.MatrixLength(rows, classes, gradient.Length, nameof(gradient));
        }
    }

    private static void CheckPairwise(
        ReadOnlySpan<float> first, string firstName, ReadOnlySpan<float> second, string secondName, ReadOnlySpan<float> gradient)
    {
        SpanChecks.SameLength(first.Length, firstName, second.Length, secondName);
        if (!gradient.IsEmpty)
        {
            SpanChecks.SameLength(first.Length, firstName, gradient.Length, nameof(gradient));
            SpanChecks.NoPartialOverlap(first, firstName, gradient, nameof(gradient));
            SpanChecks.NoPartialOverlap(second, secondName, gradient, nameof(gradient));
        }
    }
}
