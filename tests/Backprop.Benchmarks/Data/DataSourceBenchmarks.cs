using Backprop.Nn.Data;
using Backprop.Nn.Data.Bpd;
using Backprop.Nn.Models;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks.Data;

/// <summary>
/// One epoch of the builtin Fashion-MNIST subset (4000 images, 31 batches of 128 plus 32) through the
/// 784-256-128-10 MLP, each batch gathered by shuffled index (the path a worker's slice takes), from
/// the dataset loaded from its source (memory), versus its <c>.bpd</c> file, which is in the page cache
/// (it was just written): mapped, rows read from the mapping and scaled per gathered row (bpd-mapped,
/// what the loader does), or copied into memory (bpd-copied). Samples/s = 4000 / mean. Also the cost
/// of loading each way and of the body checksum alone.
/// </summary>
public class DataSourceBenchmarks : IDisposable
{
    private const int Batch = 128;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "backprop-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private GemmEngine? _gemm;
    private Network? _network;
    private Optimizer? _optimizer;
    private NetworkWorkspace? _workspace;
    private BatchBuffer? _batch;
    private Dataset? _train;
    private int[] _order = [];
    private float[] _raw = [];
    private float[] _gradient = [];
    private string _bpd = "";
    private long _step;

    /// <summary>Where the epoch's rows come from.</summary>
    [Params("memory", "bpd-mapped", "bpd-copied")]
    public string Source { get; set; } = "memory";

    /// <summary>Converts the subset, loads it the chosen way, scales it, and builds the network.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_folder);
        _bpd = Path.Combine(_folder, "fashion.bpd");
        BpdConverter.Convert(new DataSettings { Path = "builtin:fashion-mnist-small" }, _bpd, null, overwrite: true);
        var raw = Load();
        _train = FeatureScaler.Fit(raw, ScalingKind.Auto).Apply(raw);
        _raw = raw.IsMapped ? [] : raw.Features;
        var model = new ModelSettings();
        var spec = NetworkFactory.Resolve(model, _train);
        _gemm = new GemmEngine(new GemmOptions { Threads = 1 });
        _network = new Network(spec, NetworkFactory.InitialParameters(spec, model, 0), _gemm);
        _optimizer = new Optimizer(new OptimizerSettings(), _network.Layout);
        _workspace = _network.CreateWorkspace(Batch);
        _batch = new BatchBuffer(_train, Batch);
        _order = new int[_train.Count];
        EpochOrder.Fill(0, 0, _order);
        _gradient = new float[_network.Layout.Length];
    }

    /// <summary>Every batch of one epoch: gather by index, forward, backward, update.</summary>
    [Benchmark]
    public void Epoch()
    {
        for (int first = 0; first < _order.Length; first += Batch)
        {
            int rows = Math.Min(Batch, _order.Length - first);
            _batch!.Gather(_order.AsSpan(first, rows));
            _network!.ComputeGradient(_batch.X(0, rows), rows, _batch.LabelsOf(0, rows), [], _gradient, _workspace!, new DropoutDraw(0, _step++, 0));
            _optimizer!.Step(_network.Parameters, _gradient, rows, 0.01);
        }
    }

    /// <summary>Loading the training split: gunzip and parse IDX (memory), or map and verify, then copy the rows or not (bpd).</summary>
    [Benchmark]
    public Dataset Load() => Source switch
    {
        "bpd-mapped" => BpdReader.Map(_bpd),
        "bpd-copied" => BpdReader.Read(_bpd),
        _ => BuiltinDatasets.Load(BuiltinDatasets.FashionMnistSmall).Train,
    };

    /// <summary>The body checksum: mapping the file and hashing its 12.6 MB (bpd), or hashing the same bytes in an array (memory).</summary>
    [Benchmark]
    public ulong Checksum()
    {
        if (Source != "memory")
        {
            using var file = MappedBpdFile.Open(_bpd);
            file.VerifyBody();
            return file.Header.BodyChecksum;
        }

        return System.IO.Hashing.XxHash64.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_raw.AsSpan()));
    }

    /// <summary>Stops the engine's helper threads and deletes the file.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _gemm?.Dispose();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
