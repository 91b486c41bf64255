using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Diagnostics;

/// <summary>The speed of one GEMM shape on one engine.</summary>
/// <param name="Form">Which product.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">Inner dimension.</param>
/// <param name="Threads">Threads of the engine.</param>
/// <param name="SecondsPerCall">Median over the timed batches.</param>
/// <param name="Gflops">2·m·n·k over <paramref name="SecondsPerCall"/>.</param>
/// <param name="BestGflops">The fastest batch.</param>
/// <param name="AllocatedBytesPerCall">Managed bytes the calling thread allocated per call once warm.</param>
public sealed record GemmMeasurement(
    GemmForm Form, int M, int N, int K, int Threads, double SecondsPerCall, double Gflops, double BestGflops, double AllocatedBytesPerCall);
