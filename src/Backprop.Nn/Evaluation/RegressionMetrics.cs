namespace Backprop.Nn.Evaluation;

/// <summary>
/// How well a regressor did on a set of samples: mean squared and absolute error, R², and the error of the
/// trivial model that always predicts the mean of the targets, so that "beats predicting the mean" can be
/// stated. Built by <see cref="Compute"/>; every sum is accumulated in double.
/// </summary>
/// <remarks>
/// Values are laid out sample-major, <c>[sample, target]</c>: element <c>s * TargetCount + t</c> is target
/// <c>t</c> of sample <c>s</c>. <see cref="R2"/> is computed per target as 1 − SS_res / SS_tot and averaged
/// over the targets with equal weight. A target whose true values are all equal has SS_tot = 0, where the
/// ratio is 0/0 (a perfect fit) or x/0 (−∞); its R² is defined as 0 in both cases, so one constant column
/// cannot turn the average into NaN or −∞. Compare <see cref="Mse"/> with <see cref="BaselineMse"/> to see
/// whether such a target is fitted worse than its mean. A NaN prediction (a diverged model) gives NaN errors
/// rather than an exception.
/// </remarks>
public sealed record RegressionMetrics
{
    private RegressionMetrics()
    {
    }

    /// <summary>Samples evaluated.</summary>
    public int Samples { get; private init; }

    /// <summary>Values predicted per sample.</summary>
    public int TargetCount { get; private init; }

    /// <summary>Mean loss per sample: the total loss over <see cref="Samples"/>.</summary>
    public double Loss { get; private init; }

    /// <summary>Mean over every sample and target of (predicted − actual)².</summary>
    public double Mse { get; private init; }

    /// <summary>Mean over every sample and target of |predicted − actual|.</summary>
    public double Mae { get; private init; }

    /// <summary>The coefficient of determination, averaged over the targets (see remarks on the type).</summary>
    public double R2 { get; private init; }

    /// <summary>The <see cref="Mse"/> of predicting, for each target, the mean of its true values.</summary>
    public double BaselineMse { get; private init; }

    /// <summary>Whether the model's error is below that of predicting the mean.</summary>
    public bool BeatsBaseline => Mse < BaselineMse;

    /// <summary>Computes the metrics of one evaluation pass.</summary>
    /// <param name="predicted">Predicted values, <c>[sample, target]</c>.</param>
    /// <param name="actual">True values, same layout and length.</param>
    /// <param name="targetCount">Values per sample (at least 1).</param>
    /// <param name="totalLoss">The loss summed over the samples; passed through, so a diverged model shows NaN.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The spans differ in length, are empty, or are not whole samples.</exception>
    public static RegressionMetrics Compute(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual, int targetCount, double totalLoss)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 1);
        if (predicted.Length != actual.Length)
        {
            throw new ArgumentException(
                $"There are {predicted.Length} predicted values but {actual.Length} actual ones: the same layout is needed for both.", nameof(predicted));
        }

        if (actual.IsEmpty)
        {
            throw new ArgumentException("There are no samples: metrics of an empty set are undefined.", nameof(actual));
        }

        if (actual.Length % targetCount != 0)
        {
            throw new ArgumentException(
                $"{actual.Length} values are not whole samples of {targetCount} targets each.", nameof(actual));
        }

        int samples = actual.Length / targetCount;
        var mean = new double[targetCount];
        for (int i = 0; i < actual.Length; i++)
        {
            mean[i % targetCount] += actual[i];
        }

        for (int t = 0; t < targetCount; t++)
        {
            mean[t] /= samples;
        }

        // Two passes (mean, then squares about it) rather than sums of squares: no cancellation when the
        // targets sit far from zero.
        var residual = new double[targetCount];
        var total = new double[targetCount];
        double absolute = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            int t = i % targetCount;
            double error = (double)predicted[i] - actual[i];
            double spread = actual[i] - mean[t];
            residual[t] += error * error;
            total[t] += spread * spread;
            absolute += Math.Abs(error);
        }

        double residualSum = 0, totalSum = 0, r2Sum = 0;
        for (int t = 0; t < targetCount; t++)
        {
            residualSum += residual[t];
            totalSum += total[t];
            r2Sum += total[t] == 0 ? 0 : 1 - (residual[t] / total[t]);
        }

        double count = actual.Length;
        return new RegressionMetrics
        {
            Samples = samples,
            TargetCount = targetCount,
            Loss = totalLoss / samples,
            Mse = residualSum / count,
            Mae = absolute / count,
            R2 = r2Sum / targetCount,
            BaselineMse = totalSum / count,
        };
    }
}
