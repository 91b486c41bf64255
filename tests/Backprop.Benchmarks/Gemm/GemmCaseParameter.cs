using Backprop.Benchmarks.Configs;
using Backprop.Numerics.Diagnostics;

namespace Backprop.Benchmarks.Gemm;

/// <summary>A GEMM shape as a benchmark parameter: 2·m·n·k FLOPs, A and B read and C written once.</summary>
/// <param name="Shape">The shape.</param>
public sealed record GemmCaseParameter(GemmShape Shape) : IWorkload
{
    /// <inheritdoc/>
    public double FlopsPerOperation => 2.0 * Shape.M * Shape.N * Shape.K;

    /// <inheritdoc/>
    public double BytesPerOperation => 4.0 * (((double)Shape.M * Shape.K) + ((double)Shape.K * Shape.N) + ((double)Shape.M * Shape.N));

    /// <inheritdoc/>
    public override string ToString() => $"{Shape.Form} {Shape.M}x{Shape.N}x{Shape.K}";
}
