using System.Text.Json.Serialization;

namespace Backprop.Numerics.Diagnostics;

/// <summary>What <c>backprop bench kernels</c> measured: the machine's peak and GEMM against it.</summary>
/// <param name="SimdPath">The vector path of the kernels.</param>
/// <param name="ProcessorCount">Logical processors the runtime sees.</param>
/// <param name="ThreadsAll">The "all threads" count of the multi-threaded rows.</param>
/// <param name="PeakGflops1T">FMA peak of one thread.</param>
/// <param name="PeakGflopsAll">FMA peak of <paramref name="ThreadsAll"/> threads at once.</param>
/// <param name="Gemm">One row per shape and thread count.</param>
public sealed record KernelBenchmarkReport(
    string SimdPath,
    int ProcessorCount,
    int ThreadsAll,
    [property: JsonPropertyName("peak_gflops_1t")] double PeakGflops1T,
    double PeakGflopsAll,
    IReadOnlyList<KernelBenchmarkRow> Gemm);
