using Backprop.Benchmarks.Configs;
using Backprop.Numerics.Elementwise;
using Backprop.Numerics.Reductions;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks.Elementwise;

/// <summary>
/// The element-wise kernels of one training step, on a batch-128 activation of 256 units (32 768
/// elements, in L1/L2) and on a 4 MiB buffer (memory bound). GB/s counts 4 bytes per float read
/// or written.
/// </summary>
public class ElementwiseBenchmarks
{
    private const int Columns = 256;
    private float[] _x = [];
    private float[] _y = [];
    private float[] _dy = [];
    private float[] _dx = [];
    private float[] _bias = [];
    private float[] _sums = [];

    /// <summary>Elements of the activation matrix.</summary>
    [Params(32_768, 1_048_576)]
    public int Elements { get; set; }

    /// <summary>Random inputs around zero.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _x = Enumerable.Range(0, Elements).Select(_ => (random.NextSingle() * 6) - 3).ToArray();
        _y = new float[Elements];
        _dy = Enumerable.Range(0, Elements).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _dx = new float[Elements];
        _bias = Enumerable.Range(0, Columns).Select(_ => random.NextSingle()).ToArray();
        _sums = new float[Columns];
        Activations.Relu(_x, _y);
    }

    /// <summary>y = max(x, 0).</summary>
    [Benchmark]
    [PerElement(bytes: 8, flops: 1)]
    public void Relu() => Activations.Relu(_x, _y);

    /// <summary>dx = dy where y &gt; 0.</summary>
    [Benchmark]
    [PerElement(bytes: 12, flops: 1)]
    public void ReluBackward() => Activations.ReluBackward(_y, _dy, _dx);

    /// <summary>Sigmoid.</summary>
    [Benchmark]
    [PerElement(bytes: 8)]
    public void Sigmoid() => Activations.Sigmoid(_x, _y);

    /// <summary>GELU, tanh approximation.</summary>
    [Benchmark]
    [PerElement(bytes: 8)]
    public void Gelu() => Activations.Gelu(_x, _y);

    /// <summary>GELU's derivative.</summary>
    [Benchmark]
    [PerElement(bytes: 12)]
    public void GeluBackward() => Activations.GeluBackward(_x, _dy, _dx);

    /// <summary>GELU, exact (erf).</summary>
    [Benchmark]
    [PerElement(bytes: 8)]
    public void GeluErf() => Activations.GeluErf(_x, _y);

    /// <summary>Exact GELU's derivative.</summary>
    [Benchmark]
    [PerElement(bytes: 12)]
    public void GeluErfBackward() => Activations.GeluErfBackward(_x, _dy, _dx);

    /// <summary>A bias row added to every row.</summary>
    [Benchmark]
    [PerElement(bytes: 8, flops: 1)]
    public void AddBias() => BiasOps.AddBias(Elements / Columns, Columns, _x, _bias, _y);

    /// <summary>The bias gradient: column sums.</summary>
    [Benchmark]
    [PerElement(bytes: 4, flops: 1)]
    public void ColumnSums() => MatrixReductions.ColumnSums(Elements / Columns, Columns, _dy, accumulate: false, _sums);
}
