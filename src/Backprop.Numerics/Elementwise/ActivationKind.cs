namespace Backprop.Numerics.Elementwise;

/// <summary>The element-wise non-linearities a dense layer can apply to its pre-activation.</summary>
public enum ActivationKind
{
    /// <summary>y = x.</summary>
    Identity,

    /// <summary>y = 1 / (1 + e^-x).</summary>
    Sigmoid,

    /// <summary>y = tanh(x).</summary>
    Tanh,

    /// <summary>y = max(x, 0).</summary>
    Relu,

    /// <summary>y = x for x &gt; 0, slope · x otherwise.</summary>
    LeakyRelu,

    /// <summary>Gaussian error linear unit, tanh approximation (PyTorch's <c>gelu(approximate='tanh')</c>).</summary>
    Gelu,

    /// <summary>Gaussian error linear unit, exact: y = x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (PyTorch's default <c>gelu</c>).</summary>
    GeluErf,
}
