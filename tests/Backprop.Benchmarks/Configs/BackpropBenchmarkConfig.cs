using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace Backprop.Benchmarks.Configs;

/// <summary>Every suite: allocations per operation, and the rate columns where a case declares its work.</summary>
public sealed class BackpropBenchmarkConfig : ManualConfig
{
    /// <summary>The default configuration plus the memory diagnoser and rate columns.</summary>
    public BackpropBenchmarkConfig()
    {
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(RateColumns.Gflops, RateColumns.GigabytesPerSecond);
    }
}
