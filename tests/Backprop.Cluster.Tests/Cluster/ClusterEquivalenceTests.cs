using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Tests.Security;
using Backprop.Nn.Jobs;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Persistence;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Cluster;

/// <summary>
/// The proof the distributed path is right: N workers with global batch B end bit-identical to local
/// training that cuts each batch into the same N slices and sums them in order, and within float
/// rounding of plain local training with batch B.
/// </summary>
public sealed class ClusterEquivalenceTests : IDisposable
{
    private readonly RunFolders _runs = new("backprop-eq");

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
    [InlineData(2, "lane", OptimizerKind.Momentum)]
    [InlineData(3, "lane", OptimizerKind.Adam)]
    [InlineData(2, "akka", OptimizerKind.Adam)]
    [InlineData(3, "akka", OptimizerKind.Momentum)]
    public async Task Buckets_applied_as_they_arrive_should_end_bit_identical_to_the_whole_gradient(int workers, string transport, OptimizerKind optimizer)
    {
        // Two epochs: the next step's weights go out early within an epoch, never across its end.
        var settings = Settings() with
        {
            Optimizer = new OptimizerSettings { Kind = optimizer, LearningRate = optimizer == OptimizerKind.Adam ? 0.005 : 0.05 },
            Training = Settings().Training with { Epochs = 2 },
        };

        // One byte: every layer's weights are a bucket of their own, then the biases.
        var exchange = new ExchangeSettings { BucketBytes = 1 };
        var bucketed = await ClusterRun.InProcessAsync(
            Job(settings, $"buckets-{transport}-{workers}"), new ClusterSettings { Transport = transport, Exchange = exchange }, workers, threadsPerWorker: 1, null, null, CancellationToken.None);
        Assert.True(bucketed.Training.Completed, bucketed.Failure);
        Assert.Equal((workers, 0L, 0L), (bucketed.Workers, bucketed.ShortHandedSteps, bucketed.RejectedTotal));

        Assert.Equal(TrainLocally(settings, slices: workers), ModelFile.Load(bucketed.Training.ModelPath!).Parameters);
    }

    [Theory]
    [InlineData("lane")]
    [InlineData("akka")]
    public async Task Mutual_TLS_should_change_nothing_in_the_result(string transport)
    {
        var settings = Settings();
        var tls = TestCertificates.WriteFiles(Path.Combine(_runs.Root, "certs"));
        var secured = await ClusterRun.InProcessAsync(
            Job(settings, $"tls-{transport}"), new ClusterSettings { Transport = transport, Tls = tls }, 2, threadsPerWorker: 1, null, null, CancellationToken.None);
        Assert.True(secured.Training.Completed, secured.Failure);
        Assert.Equal((2, 0L, 0L), (secured.Workers, secured.ShortHandedSteps, secured.RejectedTotal));

        Assert.Equal(TrainLocally(settings, slices: 2), ModelFile.Load(secured.Training.ModelPath!).Parameters);
    }

    public void Dispose() => _runs.Dispose();

    private static BackpropSettings Settings() => new()
    {
        Data = new DataSettings { Path = "builtin:fashion-mnist-small" },
        Model = new ModelSettings { Layers = [new LayerSettings { Units = 32, Dropout = 0.2 }, new LayerSettings { Units = 16 }] },
        Optimizer = new OptimizerSettings { Kind = OptimizerKind.Momentum, LearningRate = 0.05 },
        Training = new TrainingSettings { Epochs = 1, BatchSize = 96, Seed = 3, Threads = 1 },
    };

    private TrainingJobOptions Job(BackpropSettings settings, string name) => _runs.Job(settings, name);

    private float[] TrainLocally(BackpropSettings settings, int slices) => _runs.TrainLocally(settings, slices);
}
