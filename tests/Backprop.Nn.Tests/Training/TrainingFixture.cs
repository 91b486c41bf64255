using Backprop.Nn.Data;
using Backprop.Nn.Models;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Schedules;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Nn.Tests.Training;

/// <summary>Builds trainers over the builtin Fashion-MNIST subset, scaled, with a small MLP.</summary>
internal sealed class TrainingFixture : IDisposable
{
    private static readonly Lazy<(Dataset Train, Dataset Test)> Data = new(() =>
    {
        var (train, test) = BuiltinDatasets.Load("fashion-mnist-small");
        var scaler = FeatureScaler.Fit(train, ScalingKind.Auto);
        return (scaler.Apply(train), scaler.Apply(test!));
    });

    private readonly List<GemmEngine> _engines = [];

    public static Dataset Train => Data.Value.Train;

    public static Dataset Test => Data.Value.Test;

    public static ModelSettings SmallModel(double dropout = 0) => new()
    {
        Layers = [new LayerSettings { Units = 32, Dropout = dropout }, new LayerSettings { Units = 16 }],
    };

    public Trainer Create(
        TrainingSettings training,
        ModelSettings? model = null,
        OptimizerSettings? optimizer = null,
        Dataset? train = null,
        Dataset? validation = null,
        int slices = 1,
        int threads = 1)
    {
        train ??= Train;
        model ??= SmallModel();
        optimizer ??= new OptimizerSettings { Kind = OptimizerKind.Momentum, LearningRate = 0.05 };
        var gemm = new GemmEngine(new GemmOptions { Threads = threads });
        _engines.Add(gemm);
        var spec = NetworkFactory.Resolve(model, train);
        var network = new Network(spec, NetworkFactory.InitialParameters(spec, model, training.Seed), gemm);
        int stepsPerEpoch = EpochOrder.BatchCount(train.Count, training.BatchSize);
        var schedule = new LearningRateSchedule(new ScheduleSettings(), optimizer.LearningRate, stepsPerEpoch, (long)stepsPerEpoch * training.Epochs);
        return new Trainer(network, new Optimizer(optimizer, network.Layout), schedule, training, train, validation, null, slices);
    }

    public void Dispose()
    {
        foreach (var engine in _engines)
        {
            engine.Dispose();
        }
    }
}
