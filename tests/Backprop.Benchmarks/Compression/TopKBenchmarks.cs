using Backprop.Benchmarks.Configs;
using Backprop.Nn.Compression;
using Backprop.Numerics.Selection;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks.Compression;

/// <summary>
/// Top-k with error feedback at a ratio of 0.01, on one Akka slice (30,000 floats) and on the whole large
/// model in one range (3,716,106 floats, as the tensor lane sends it): the selection alone, and the
/// compressor's whole step (add the residual, select, move the picked values out). GB/s counts the
/// 4-byte reads and writes of one pass per float (selection) and three (a step: gradient, residual, sent).
/// </summary>
public class TopKBenchmarks
{
    private float[] _gradient = [];
    private float[] _sent = [];
    private int[] _indices = [];
    private TopKCompressor _compressor = null!;

    /// <summary>Floats in the range.</summary>
    [Params(30_000, 3_716_106)]
    public int Elements { get; set; }

    /// <summary>Gradient-like values over several magnitudes.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(13);
        _gradient = [.. Enumerable.Range(0, Elements).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 1))))];
        _sent = new float[Elements];
        _indices = new int[TopKCompressor.KeptCount(Elements, 0.01)];
        _compressor = new TopKCompressor(Elements);
    }

    /// <summary>The positions of the 1% largest magnitudes.</summary>
    [Benchmark]
    [PerElement(bytes: 4)]
    public void Select() => MagnitudeSelection.Largest(_gradient, _indices);

    /// <summary>One compressor step on the range.</summary>
    [Benchmark]
    [PerElement(bytes: 12)]
    public void CompressStep() => _compressor.Compress(_gradient, 0, _indices, _sent);
}
