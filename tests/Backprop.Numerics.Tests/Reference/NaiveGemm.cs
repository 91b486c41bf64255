using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Tests.Reference;

/// <summary>
/// The definition of every GEMM form as a triple loop in float64, plus, per element of C, the sum of
/// the magnitudes of its terms: the scale the rounding-error tolerance is taken relative to.
/// </summary>
public static class NaiveGemm
{
    public static (double[] C, double[] Magnitude) Compute(
        GemmForm form, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc, float[]? bias = null, Activation? activation = null)
    {
        var result = new double[m * n];
        var magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = form == GemmForm.AtB ? a[(p * lda) + i] : a[(i * lda) + p];
                    double bv = form == GemmForm.ABt ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += av * bv;
                    abs += Math.Abs(av * bv);
                }

                double old = beta == 0f ? 0 : c[(i * ldc) + j];
                double value = (alpha * sum) + (beta * old) + (bias is null ? 0 : bias[j]);
                magnitude[(i * n) + j] = (Math.Abs(alpha) * abs) + Math.Abs(beta * old) + (bias is null ? 0 : Math.Abs(bias[j]));
                result[(i * n) + j] = activation is { } act ? Apply(act, value) : value;
            }
        }

        return (result, magnitude);
    }

    /// <summary>The activation functions in float64, by their textbook formulas.</summary>
    public static double Apply(Activation activation, double x) => activation.Kind switch
    {
        ActivationKind.Identity => x,
        ActivationKind.Relu => Math.Max(x, 0),
        ActivationKind.LeakyRelu => x > 0 ? x : activation.Slope * x,
        ActivationKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        ActivationKind.Tanh => Math.Tanh(x),
        ActivationKind.Gelu => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + (0.044715 * x * x * x)))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
