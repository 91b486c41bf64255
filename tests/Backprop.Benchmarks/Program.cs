using Backprop.Benchmarks.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Backprop.Benchmarks -- --filter '*Gemm*'
BenchmarkSwitcher.FromAssembly(typeof(RateColumns).Assembly).Run(args, new BackpropBenchmarkConfig());
