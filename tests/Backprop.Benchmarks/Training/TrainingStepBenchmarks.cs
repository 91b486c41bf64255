using Backprop.Benchmarks.Configs;
using Backprop.Nn.Data;
using Backprop.Nn.Models;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Settings;
using Backprop.Numerics.Gemm;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks.Training;

/// <summary>
/// One training step of the 784-256-128-10 MLP at batch 128 on Fashion-MNIST images (the builtin
/// subset): forward, loss, backward, SGD-momentum update. GFLOP/s uses 1.007 MFLOP per sample;
/// samples/s is 128 over the mean. The memory diagnoser shows no allocation per step.
/// </summary>
public class TrainingStepBenchmarks : IDisposable
{
    private const int Batch = 128;
    private GemmEngine? _gemm;
    private Network? _network;
    private Optimizer? _optimizer;
    private NetworkWorkspace? _workspace;
    private float[] _x = [];
    private int[] _labels = [];
    private float[] _gradient = [];
    private long _step;

    /// <summary>The step's work: 128 samples of 1.007 MFLOP each.</summary>
    public static IEnumerable<StepWorkload> Workloads => [new StepWorkload()];

    /// <summary>The workload parameter (for the rate columns).</summary>
    [ParamsSource(nameof(Workloads))]
    public StepWorkload Work { get; set; } = new();

    /// <summary>Threads of the matrix products.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>A network, an optimiser and one batch of real images.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (train, _) = BuiltinDatasets.Load(BuiltinDatasets.FashionMnistSmall);
        train = FeatureScaler.Fit(train, ScalingKind.Auto).Apply(train);
        var model = new ModelSettings();
        var spec = NetworkFactory.Resolve(model, train);
        _gemm = new GemmEngine(new GemmOptions { Threads = Threads });
        _network = new Network(spec, NetworkFactory.InitialParameters(spec, model, 0), _gemm);
        _optimizer = new Optimizer(new OptimizerSettings(), _network.Layout);
        _workspace = _network.CreateWorkspace(Batch);
        _x = train.Features.AsSpan(0, Batch * train.FeatureCount).ToArray();
        _labels = train.Labels.AsSpan(0, Batch).ToArray();
        _gradient = new float[_network.Layout.Length];
    }

    /// <summary>Forward, loss, backward and update of one batch.</summary>
    [Benchmark]
    public void Step()
    {
        _network!.ComputeGradient(_x, Batch, _labels, [], _gradient, _workspace!, new DropoutDraw(0, _step++, 0));
        _optimizer!.Step(_network.Parameters, _gradient, Batch, 0.01);
    }

    /// <summary>Stops the engine's helper threads.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _gemm?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The FLOPs of one step: forward, weight gradients, input gradients of layers 2–3.</summary>
    public sealed class StepWorkload : IWorkload
    {
        /// <inheritdoc/>
        public double FlopsPerOperation => Batch * 2.0 * ((2.0 * ((784 * 256) + (256 * 128) + (128 * 10))) + (256 * 128) + (128 * 10));

        /// <inheritdoc/>
        public double BytesPerOperation => 0;

        /// <inheritdoc/>
        public override string ToString() => "784-256-128-10 batch 128";
    }
}
