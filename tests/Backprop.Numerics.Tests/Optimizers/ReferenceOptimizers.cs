namespace Backprop.Numerics.Tests.Optimizers;

/// <summary>
/// The update rules exactly as the PyTorch documentation writes them (torch.optim.SGD, Adam, AdamW, RMSprop,
/// Adagrad pseudo-code), one element at a time in float64: bias-corrected m̂ and v̂ spelled out, SGD's first step
/// b ← g taken literally. Beside each value runs its <i>magnitude</i>: the same recurrence on absolute values (and,
/// where a square root or division amplifies cancellation, that factor too), which is the scale the float32 result
/// is held to by <see cref="Reference.Tolerance"/>.
/// </summary>
internal sealed class ReferenceOptimizers
{
    /// <summary>Starts from the kernel's float parameters and zero state.</summary>
    public ReferenceOptimizers(float[] parameters)
    {
        int n = parameters.Length;
        P = parameters.Select(v => (double)v).ToArray();
        PMagnitude = parameters.Select(v => (double)Math.Abs(v)).ToArray();
        S1 = new double[n];
        S1Magnitude = new double[n];
        S2 = new double[n];
        S2Magnitude = new double[n];
        S3 = new double[n];
        S3Magnitude = new double[n];
    }

    public double[] P { get; }

    public double[] PMagnitude { get; }

    public double[] S1 { get; }

    public double[] S1Magnitude { get; }

    public double[] S2 { get; }

    public double[] S2Magnitude { get; }

    public double[] S3 { get; }

    public double[] S3Magnitude { get; }

    /// <summary>SGD (dampening τ = 0); <see cref="S1"/> is the momentum buffer b.</summary>
    public void Sgd(float[] g, int t, double lr, double momentum, bool nesterov, double wd, double gradScale)
    {
        for (int i = 0; i < P.Length; i++)
        {
            // g ← g + λθ
            double gi = Effective(i, g[i], wd, gradScale, out double gMag);
            double update = gi, updateMag = gMag;
            if (momentum != 0)
            {
                // b ← g on the first step, μb + g afterwards.
                S1[i] = t > 1 ? (momentum * S1[i]) + gi : gi;
                S1Magnitude[i] = t > 1 ? (momentum * S1Magnitude[i]) + gMag : gMag;
                update = nesterov ? gi + (momentum * S1[i]) : S1[i];
                updateMag = nesterov ? gMag + (momentum * S1Magnitude[i]) : S1Magnitude[i];
            }

            P[i] -= lr * update;
            PMagnitude[i] += lr * updateMag;
        }
    }

    /// <summary>Adam / AdamW; <see cref="S1"/> = m, <see cref="S2"/> = v.</summary>
    public void Adam(float[] g, int t, double lr, double beta1, double beta2, double eps, double wd, bool decoupled, double gradScale)
    {
        for (int i = 0; i < P.Length; i++)
        {
            if (decoupled)
            {
                // θ ← θ − γλθ
                P[i] -= lr * wd * P[i];
            }

            double gi = Effective(i, g[i], decoupled ? 0 : wd, gradScale, out double gMag);
            S1[i] = (beta1 * S1[i]) + ((1 - beta1) * gi);
            S1Magnitude[i] = (beta1 * S1Magnitude[i]) + ((1 - beta1) * gMag);
            S2[i] = (beta2 * S2[i]) + ((1 - beta2) * gi * gi);
            S2Magnitude[i] = (beta2 * S2Magnitude[i]) + ((1 - beta2) * gMag * gMag);
            double mHat = S1[i] / (1 - Math.Pow(beta1, t));
            double vHat = S2[i] / (1 - Math.Pow(beta2, t));
            double denominator = Math.Sqrt(vHat) + eps;
            P[i] -= lr * mHat / denominator;
            double mHatMag = S1Magnitude[i] / (1 - Math.Pow(beta1, t));
            PMagnitude[i] += lr * ((mHatMag + (Math.Abs(mHat) * Amplification(S2Magnitude[i], S2[i]))) / denominator);
        }
    }

    /// <summary>RMSprop; <see cref="S1"/> = square average v, <see cref="S2"/> = momentum buffer b, <see cref="S3"/> = g_ave.</summary>
    public void RmsProp(float[] g, double lr, double alpha, double eps, double wd, double momentum, bool centered, double gradScale)
    {
        for (int i = 0; i < P.Length; i++)
        {
            double gi = Effective(i, g[i], wd, gradScale, out double gMag);
            S1[i] = (alpha * S1[i]) + ((1 - alpha) * gi * gi);
            S1Magnitude[i] = (alpha * S1Magnitude[i]) + ((1 - alpha) * gMag * gMag);
            double variance = S1[i], varianceMag = S1Magnitude[i];
            if (centered)
            {
                S3[i] = (alpha * S3[i]) + ((1 - alpha) * gi);
                S3Magnitude[i] = (alpha * S3Magnitude[i]) + ((1 - alpha) * gMag);
                variance -= S3[i] * S3[i];
                varianceMag += S3Magnitude[i] * S3Magnitude[i];
            }

            double denominator = Math.Sqrt(variance) + eps;
            double step = gi / denominator;
            double stepMag = (gMag + (Math.Abs(gi) * Amplification(varianceMag, variance))) / denominator;
            if (momentum > 0)
            {
                S2[i] = (momentum * S2[i]) + step;
                S2Magnitude[i] = (momentum * S2Magnitude[i]) + stepMag;
                P[i] -= lr * S2[i];
                PMagnitude[i] += lr * S2Magnitude[i];
            }
            else
            {
                P[i] -= lr * step;
                PMagnitude[i] += lr * stepMag;
            }
        }
    }

    /// <summary>Adagrad (initial accumulator 0); <see cref="S1"/> = state_sum.</summary>
    public void AdaGrad(float[] g, int t, double lr, double lrDecay, double wd, double eps, double gradScale)
    {
        double currentRate = lr / (1 + ((t - 1) * lrDecay));
        for (int i = 0; i < P.Length; i++)
        {
            double gi = Effective(i, g[i], wd, gradScale, out double gMag);
            S1[i] += gi * gi;
            S1Magnitude[i] += gMag * gMag;
            double denominator = Math.Sqrt(S1[i]) + eps;
            P[i] -= currentRate * gi / denominator;
            PMagnitude[i] += currentRate * (gMag + (Math.Abs(gi) * Amplification(S1Magnitude[i], S1[i]))) / denominator;
        }
    }

    /// <summary>ĝ = gradScale·g + wd·θ and its magnitude |gradScale·g| + |wd·θ|.</summary>
    private double Effective(int i, float g, double wd, double gradScale, out double magnitude)
    {
        magnitude = Math.Abs(gradScale * g) + Math.Abs(wd * P[i]);
        return (gradScale * g) + (wd * P[i]);
    }

    /// <summary>How much a relative error in a sum that cancelled (value ≪ magnitude) grows through √ and 1/x.</summary>
    private static double Amplification(double magnitude, double value) => magnitude / Math.Max(Math.Abs(value), 1e-300);
}
