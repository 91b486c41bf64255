using Backprop.Nn.Randomness;
using Backprop.Numerics.Elementwise;

namespace Backprop.Nn.Initialization;

/// <summary>Draws a layer's initial weights by the named scheme, from a seeded stream.</summary>
public static class WeightInitializer
{
    /// <summary>The scheme to use: <paramref name="kind"/>, or for <see cref="InitializerKind.Auto"/> the one that suits <paramref name="activation"/>.</summary>
    /// <param name="kind">The configured scheme.</param>
    /// <param name="activation">The layer's activation.</param>
    public static InitializerKind Resolve(InitializerKind kind, Activation activation) => kind != InitializerKind.Auto
        ? kind
        : activation.Kind is ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Gelu or ActivationKind.GeluErf
            ? InitializerKind.HeUniform
            : InitializerKind.XavierUniform;

    /// <summary>Fills <paramref name="weights"/> (fanIn × fanOut, row-major) by <paramref name="kind"/>.</summary>
    /// <param name="kind">The scheme; not <see cref="InitializerKind.Auto"/>.</param>
    /// <param name="weights">The weight matrix.</param>
    /// <param name="fanIn">Inputs of the layer.</param>
    /// <param name="fanOut">Outputs of the layer.</param>
    /// <param name="scale">Bound of <see cref="InitializerKind.Uniform"/>, deviation of <see cref="InitializerKind.Normal"/>.</param>
    /// <param name="random">The stream to draw from.</param>
    public static void Fill(InitializerKind kind, Span<float> weights, int fanIn, int fanOut, double scale, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (weights.Length != fanIn * fanOut)
        {
            throw new ArgumentException($"{weights.Length} weights for a {fanIn}×{fanOut} layer.", nameof(weights));
        }

        switch (kind)
        {
            case InitializerKind.Uniform:
                Uniform(weights, scale, random);
                break;
            case InitializerKind.Normal:
                Normal(weights, scale, random);
                break;
            case InitializerKind.XavierUniform:
                Uniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), random);
                break;
            case InitializerKind.XavierNormal:
                Normal(weights, Math.Sqrt(2.0 / (fanIn + fanOut)), random);
                break;
            case InitializerKind.HeUniform:
                Uniform(weights, Math.Sqrt(6.0 / fanIn), random);
                break;
            case InitializerKind.HeNormal:
                Normal(weights, Math.Sqrt(2.0 / fanIn), random);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Resolve Auto against the activation first.");
        }
    }

    private static void Uniform(Span<float> weights, double bound, RandomSource random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(((2 * random.NextDouble()) - 1) * bound);
        }
    }

    private static void Normal(Span<float> weights, double deviation, RandomSource random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextGaussian() * deviation);
        }
    }
}
