namespace Backprop.Nn.Initialization;

/// <summary>How a layer's weights are drawn; biases are a constant (zero by default).</summary>
public enum InitializerKind
{
    /// <summary>He uniform for the ReLU family and GELU, Glorot uniform for the rest: what users expect.</summary>
    Auto,

    /// <summary>U(−scale, scale).</summary>
    Uniform,

    /// <summary>N(0, scale²).</summary>
    Normal,

    /// <summary>Glorot/Xavier uniform: U(±√(6 / (fan_in + fan_out))).</summary>
    XavierUniform,

    /// <summary>Glorot/Xavier normal: N(0, 2 / (fan_in + fan_out)).</summary>
    XavierNormal,

    /// <summary>He/Kaiming uniform: U(±√(6 / fan_in)).</summary>
    HeUniform,

    /// <summary>He/Kaiming normal: N(0, 2 / fan_in).</summary>
    HeNormal,
}
