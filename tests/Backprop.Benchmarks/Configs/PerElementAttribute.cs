namespace Backprop.Benchmarks.Configs;

/// <summary>
/// The work of a benchmark method per element of its case's <c>Elements</c> parameter, for the rate
/// columns: bytes read plus written, and floating-point operations.
/// </summary>
/// <param name="bytes">Bytes moved per element.</param>
/// <param name="flops">Floating-point operations per element.</param>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PerElementAttribute(double bytes, double flops = 0) : Attribute
{
    /// <summary>Bytes read plus bytes written per element.</summary>
    public double Bytes { get; } = bytes;

    /// <summary>Floating-point operations per element.</summary>
    public double Flops { get; } = flops;
}
