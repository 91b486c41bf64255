using Backprop.Benchmarks.Configs;
using Backprop.Numerics.Optimizers;
using Backprop.Numerics.Reductions;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks.Elementwise;

/// <summary>
/// The fused softmax cross-entropy of a batch of 128 over 10 classes, and the optimiser updates over
/// the flat parameter buffer of the 784-256-128-10 MLP (235 146 parameters): one pass each.
/// </summary>
public class LossAndOptimizerBenchmarks
{
    private const int Batch = 128;
    private const int Classes = 10;
    private float[] _logits = [];
    private int[] _labels = [];
    private float[] _gradLogits = [];
    private float[] _parameters = [];
    private float[] _gradients = [];
    private float[] _first = [];
    private float[] _second = [];
    private long _step;

    /// <summary>Parameters of the model the optimisers update.</summary>
    [Params(235_146)]
    public int Elements { get; set; }

    /// <summary>Random logits, labels, parameters and gradients.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _logits = Enumerable.Range(0, Batch * Classes).Select(_ => (random.NextSingle() * 8) - 4).ToArray();
        _labels = Enumerable.Range(0, Batch).Select(_ => random.Next(Classes)).ToArray();
        _gradLogits = new float[Batch * Classes];
        _parameters = Enumerable.Range(0, Elements).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _gradients = Enumerable.Range(0, Elements).Select(_ => (random.NextSingle() - 0.5f) * 0.01f).ToArray();
        _first = new float[Elements];
        _second = new float[Elements];
    }

    /// <summary>Loss and gradient of softmax cross-entropy for the batch.</summary>
    /// <returns>The summed loss.</returns>
    [Benchmark]
    public double SoftmaxCrossEntropy() => LossKernels.SoftmaxCrossEntropy(Batch, Classes, _logits, _labels, 1f / Batch, _gradLogits);

    /// <summary>SGD with momentum 0.9 (PyTorch semantics): parameters, gradient, velocity.</summary>
    [Benchmark]
    [PerElement(bytes: 20, flops: 4)]
    public void SgdMomentum() => OptimizerKernels.SgdMomentum(_parameters, _gradients, _first, 0.01f, 0.9f, gradScale: 1f / Batch);

    /// <summary>Adam: parameters, gradient and two moments.</summary>
    [Benchmark]
    [PerElement(bytes: 28, flops: 12)]
    public void Adam() => OptimizerKernels.Adam(_parameters, _gradients, _first, _second, 1e-3f, ++_step, gradScale: 1f / Batch);
}
