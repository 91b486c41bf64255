namespace Backprop.Numerics.Diagnostics;

/// <summary>One timed shape of a <see cref="KernelBenchmark"/> run.</summary>
/// <param name="Label">Where the shape comes from.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">Inner dimension.</param>
/// <param name="Form">"AB", "ABt" or "AtB".</param>
/// <param name="Threads">Threads of the engine.</param>
/// <param name="Gflops">Median GFLOP/s.</param>
/// <param name="FractionOfPeak">Gflops over the FMA peak measured with the same number of threads.</param>
/// <param name="BestGflops">The fastest batch.</param>
/// <param name="SecondsPerCall">Median seconds per call.</param>
/// <param name="AllocatedBytesPerCall">Managed bytes allocated per warm call.</param>
/// <param name="SpeedupOverOneThread">Gflops over the same shape's one-thread figure; 1 for one thread.</param>
public sealed record KernelBenchmarkRow(
    string Label,
    int M,
    int N,
    int K,
    string Form,
    int Threads,
    double Gflops,
    double FractionOfPeak,
    double BestGflops,
    double SecondsPerCall,
    double AllocatedBytesPerCall,
    double SpeedupOverOneThread);
