using Backprop.Numerics.Diagnostics;
using Backprop.Numerics.Gemm;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks.Gemm;

/// <summary>
/// GEMM for the standard shapes (square 256–2048 in every form, and one training step of the
/// 784-256-128-10 MLP at batch 128) on one thread and on every core. The memory diagnoser shows the
/// zero allocations per call once warm.
/// </summary>
public class GemmBenchmarks : IDisposable
{
    private GemmEngine? _engine;
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

    /// <summary>The shapes timed.</summary>
    public static IEnumerable<GemmCaseParameter> Shapes => GemmShape.Standard.Select(s => new GemmCaseParameter(s));

    /// <summary>The shape of this case.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmCaseParameter Case { get; set; } = null!;

    /// <summary>Threads of the engine: one, and every core.</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    /// <summary>Random operands and a warm engine.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var s = Case.Shape;
        _a = Enumerable.Range(0, s.M * s.K).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _b = Enumerable.Range(0, s.K * s.N).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _c = new float[s.M * s.N];
        _engine = new GemmEngine(new GemmOptions { Threads = Threads });
    }

    /// <summary>One product.</summary>
    [Benchmark]
    public void Multiply()
    {
        var s = Case.Shape;
        _engine!.Multiply(s.Form, s.M, s.N, s.K, _a, _b, _c);
    }

    /// <summary>Stops the engine's helper threads.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _engine?.Dispose();
        _engine = null;
        GC.SuppressFinalize(this);
    }
}
