using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Tests.Security;
using Backprop.Nn.Jobs;
using Backprop.Nn.Models;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Persistence;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Cluster.Tests.Cluster;

/// <summary>
/// The proof the distributed path is right: N workers with global batch B end bit-identical to local
/// training that cuts each batch into the same N slices and sums them in order, and within float
/// rounding of plain local training with batch B.
/// </summary>
public sealed class ClusterEquivalenceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "backprop-eq-" + Guid.NewGuid().ToString("N")[..10]);

    [Theory]
    [InlineData(2, "lane")]
    [InlineData(3, "lane")]
    [InlineData(2, "akka")]
    [InlineData(3, "akka")]
    public async Task N_workers_should_end_bit_identical_to_local_training_sliced_the_same_way(int workers, string transport)
    {
        var settings = Settings();
        var cluster = await ClusterRun.InProcessAsync(
            Job(settings, $"cluster-{transport}-{workers}"), new ClusterSettings { Transport = transport }, workers, threadsPerWorker: 1, null, null, CancellationToken.None);
        Assert.True(cluster.Training.Completed, cluster.Failure);
        Assert.Equal(workers, cluster.Workers);
        Assert.Equal(0, cluster.ShortHandedSteps);
        Assert.Equal(new StepAccount(cluster.Training.Steps, 0, workers * cluster.Training.Steps, 0), cluster.Closed);
        Assert.Equal(0, cluster.RejectedTotal);
        var distributed = ModelFile.Load(cluster.Training.ModelPath!).Parameters;

        var sliced = TrainLocally(settings, slices: workers);
        var plain = TrainLocally(settings, slices: 1);

        Assert.Equal(sliced, distributed);
        double worst = distributed.Zip(plain, (a, b) => Math.Abs(a - b) / (1e-2 + Math.Abs(b))).Max();
        Assert.True(worst < 1e-3, $"largest relative difference from plain local training: {worst}");
    }

    [Theory]
    [InlineData("lane")]
    [InlineData("akka")]
    public async Task Mutual_TLS_should_change_nothing_in_the_result(string transport)
    {
        var settings = Settings();
        var tls = TestCertificates.WriteFiles(Path.Combine(_root, "certs"));
        var secured = await ClusterRun.InProcessAsync(
            Job(settings, $"tls-{transport}"), new ClusterSettings { Transport = transport, Tls = tls }, 2, threadsPerWorker: 1, null, null, CancellationToken.None);
        Assert.True(secured.Training.Completed, secured.Failure);
        Assert.Equal((2, 0L, 0L), (secured.Workers, secured.ShortHandedSteps, secured.RejectedTotal));

        Assert.Equal(TrainLocally(settings, slices: 2), ModelFile.Load(secured.Training.ModelPath!).Parameters);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static BackpropSettings Settings() => new()
    {
        Data = new DataSettings { Path = "builtin:fashion-mnist-small" },
        Model = new ModelSettings { Layers = [new LayerSettings { Units = 32, Dropout = 0.2 }, new LayerSettings { Units = 16 }] },
        Optimizer = new OptimizerSettings { Kind = OptimizerKind.Momentum, LearningRate = 0.05 },
        Training = new TrainingSettings { Epochs = 1, BatchSize = 96, Seed = 3, Threads = 1 },
    };

    private TrainingJobOptions Job(BackpropSettings settings, string name) => new()
    {
        Settings = settings,
        ConfigText = Backprop.Cluster.Configuration.SettingsWriter.ToHocon(settings),
        RunDirectory = Path.Combine(_root, name),
    };

    private float[] TrainLocally(BackpropSettings settings, int slices)
    {
        var setup = TrainingSetup.Create(Job(settings, $"local-{slices}"), null);
        using var gemm = new GemmEngine(new GemmOptions { Threads = 1 });
        var network = new Network(setup.Spec, setup.Parameters, gemm);
        var trainer = new Trainer(network, setup.Optimizer, setup.Schedule, settings.Training, setup.Data.Train, setup.Data.Validation, setup.Data.Test, slices);
        trainer.Run(null, null, CancellationToken.None);
        return network.Parameters;
    }
}
