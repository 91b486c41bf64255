namespace Backprop.Numerics.Tests.Reference;

/// <summary>
/// Central differences in float64, to prove a backward formula against its forward formula rather than against
/// a re-typed copy of itself. With h = 1e-5 the truncation error (h²·f‴/6) and the rounding error (ε64/h) are both
/// far below the float32 tolerance the kernels are held to.
/// </summary>
internal static class FiniteDifference
{
    /// <summary>The step.</summary>
    public const double Step = 1e-5;

    /// <summary>df/dx at <paramref name="x"/> for a scalar function.</summary>
    public static double Derivative(Func<double, double> f, double x) => (f(x + Step) - f(x - Step)) / (2 * Step);

    /// <summary>∂L/∂x[i] for every i, for a scalar function of a vector; <paramref name="x"/> is restored.</summary>
    public static double[] Gradient(Func<double[], double> loss, double[] x)
    {
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + Step;
            double plus = loss(x);
            x[i] = saved - Step;
            double minus = loss(x);
            x[i] = saved;
            gradient[i] = (plus - minus) / (2 * Step);
        }

        return gradient;
    }
}
