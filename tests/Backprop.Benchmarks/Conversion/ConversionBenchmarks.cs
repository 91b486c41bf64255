using Backprop.Benchmarks.Configs;
using Backprop.Numerics.Conversion;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks.Conversion;

/// <summary>
/// The 16-bit conversions of compressed tensor messages, on one Akka slice (30,000 floats, in L2) and
/// on the whole large model (3,716,106 floats, memory bound). GB/s counts 4 bytes per float and 2 per
/// half read or written; a plain float copy is the ceiling to compare with, and the BCL's scalar
/// (Half) cast shows what the vectorised fp16 path saves.
/// </summary>
public class ConversionBenchmarks
{
    private float[] _floats = [];
    private float[] _copy = [];
    private ushort[] _bf16 = [];
    private Half[] _fp16 = [];

    /// <summary>Floats converted per call.</summary>
    [Params(30_000, 3_716_106)]
    public int Elements { get; set; }

    /// <summary>Gradient-like values, inside fp16's range.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _floats = [.. Enumerable.Range(0, Elements).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 1))))];
        _copy = new float[Elements];
        _bf16 = new ushort[Elements];
        _fp16 = new Half[Elements];
        HalfPrecision.ToBFloat16(_floats, _bf16);
        HalfPrecision.ToHalf(_floats, _fp16);
    }

    /// <summary>A float copy: the memory-bound ceiling.</summary>
    [Benchmark(Baseline = true)]
    [PerElement(bytes: 8)]
    public void CopyFloats() => _floats.AsSpan().CopyTo(_copy);

    /// <summary>float32 → bfloat16, ties to even.</summary>
    [Benchmark]
    [PerElement(bytes: 6)]
    public void ToBFloat16() => HalfPrecision.ToBFloat16(_floats, _bf16);

    /// <summary>bfloat16 → float32.</summary>
    [Benchmark]
    [PerElement(bytes: 6)]
    public void FromBFloat16() => HalfPrecision.FromBFloat16(_bf16, _copy);

    /// <summary>float32 → IEEE half (TensorPrimitives).</summary>
    [Benchmark]
    [PerElement(bytes: 6)]
    public void ToHalf() => HalfPrecision.ToHalf(_floats, _fp16);

    /// <summary>IEEE half → float32 (TensorPrimitives).</summary>
    [Benchmark]
    [PerElement(bytes: 6)]
    public void FromHalf() => HalfPrecision.FromHalf(_fp16, _copy);

    /// <summary>float32 → IEEE half one value at a time with the BCL's cast, for comparison.</summary>
    [Benchmark]
    [PerElement(bytes: 6)]
    public void ToHalfScalar()
    {
        float[] floats = _floats;
        Half[] halves = _fp16;
        for (int i = 0; i < floats.Length; i++)
        {
            halves[i] = (Half)floats[i];
        }
    }
}
