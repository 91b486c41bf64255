using System.Globalization;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;
using Backprop.Nn.Jobs;
using Backprop.Nn.Models;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Persistence;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;
using Xunit.Abstractions;

namespace Backprop.Cluster.Tests.Cluster;

/// <summary>
/// Compression end to end: two workers train a small model to the end with each compression on both
/// transports, the loss falls, and the 16-bit runs end near (not at) the float32 run; and the bytes a
/// step puts on the wire shrink by what each compression keeps.
/// </summary>
public sealed class CompressionTests(ITestOutputHelper output) : IDisposable
{
    private const int Workers = 2;
    private readonly RunFolders _runs = new("backprop-compress");

    public static TheoryData<string, WireCompression> Runs()
    {
        var runs = new TheoryData<string, WireCompression>();
        foreach (string transport in new[] { "lane", "akka" })
        {
            foreach (var compression in Enum.GetValues<WireCompression>())
            {
                runs.Add(transport, compression);
            }
        }

        return runs;
    }

    [Theory]
    [InlineData("lane", WireCompression.Bf16)]
    [InlineData("akka", WireCompression.Fp16)]
    public async Task Buckets_should_change_nothing_under_16_bit_compression(string transport, WireCompression compression)
    {
        // Rounding is element by element, so a gradient cut into buckets rounds to the same values, and
        // the weights sent early are rounded like the rest.
        var settings = Settings();
        async Task<float[]> Train(int bucketBytes)
        {
            var run = await ClusterRun.InProcessAsync(
                Job(settings, $"buckets-{transport}-{bucketBytes}"),
                new ClusterSettings { Transport = transport, Exchange = new ExchangeSettings { Compression = compression, BucketBytes = bucketBytes } },
                Workers,
                threadsPerWorker: 1,
                null,
                null,
                CancellationToken.None);
            Assert.True(run.Training.Completed, run.Failure);
            Assert.Equal(0, run.RejectedTotal);
            return ModelFile.Load(run.Training.ModelPath!).Parameters;
        }

        Assert.Equal(await Train(0), await Train(1));
    }

    [Fact]
    public async Task Top_k_in_buckets_should_train_to_the_end_with_falling_loss()
    {
        var settings = Settings();
        var run = await ClusterRun.InProcessAsync(
            Job(settings, "buckets-top-k"),
            new ClusterSettings { Exchange = new ExchangeSettings { Compression = WireCompression.TopK, TopKRatio = 0.05, BucketBytes = 1 } },
            Workers,
            threadsPerWorker: 1,
            null,
            null,
            CancellationToken.None);

        Assert.True(run.Training.Completed, run.Failure);
        Assert.Equal((0L, 0L), (run.ShortHandedSteps, run.RejectedTotal));
        Assert.True(run.Training.History[^1].TrainLoss < 0.8 * run.Training.History[0].TrainLoss);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Two_workers_should_train_to_the_end_with_falling_loss_under_each_compression(string transport, WireCompression compression)
    {
        var settings = Settings();
        var cluster = await ClusterRun.InProcessAsync(
            Job(settings, $"{transport}-{WireCompressions.Spell(compression)}"),
            new ClusterSettings { Transport = transport, Exchange = new ExchangeSettings { Compression = compression, TopKRatio = 0.01 } },
            Workers,
            threadsPerWorker: 1,
            null,
            null,
            CancellationToken.None);
        Assert.True(cluster.Training.Completed, cluster.Failure);
        Assert.Equal((Workers, 0L, 0L), (cluster.Workers, cluster.ShortHandedSteps, cluster.RejectedTotal));
        var history = cluster.Training.History;
        var compressed = ModelFile.Load(cluster.Training.ModelPath!).Parameters;
        var (initial, float32, float32Loss) = TrainLocally(settings);
        double difference = Distance(compressed, float32);
        double moved = Distance(initial, float32);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{transport} {WireCompressions.Spell(compression)}: train loss {string.Join(" → ", history.Select(e => e.TrainLoss.ToString("F4", CultureInfo.InvariantCulture)))}, test accuracy {cluster.Training.Test?.Classification?.Accuracy:F4}, distance from the float32 weights {difference:G3} of their norm (training moved them {moved:G3})"));

        Assert.True(history[^1].TrainLoss < 0.8 * history[0].TrainLoss, $"the loss did not fall: {history[0].TrainLoss} → {history[^1].TrainLoss}");
        switch (compression)
        {
            case WireCompression.None:
                Assert.Equal(float32, compressed);
                break;
            case WireCompression.Bf16 or WireCompression.Fp16:
                // Rounded weights and gradients bend the trajectory (SGD amplifies any change over two
                // epochs) but it ends much nearer the float32 weights than they are to where they
                // started, at much the same loss.
                Assert.NotEqual(float32, compressed);
                Assert.InRange(difference, 1e-6, 0.5 * moved);
                Assert.InRange(history[^1].TrainLoss, 0.9 * float32Loss, 1.1 * float32Loss);
                break;
        }
    }

    [Theory]
    [InlineData("lane", 25_818)]
    [InlineData("akka", 25_818)]
    [InlineData("lane", 3_716_106)]
    [InlineData("akka", 3_716_106)]
    public void Bytes_per_step_should_shrink_by_what_each_compression_keeps(string transport, int parameters)
    {
        int sliceBytes = new ClusterSettings { Transport = transport }.TransportSliceBytes;
        var none = StepBytes.Count(parameters, WireCompression.None, sliceBytes, Workers);
        output.WriteLine($"{parameters:N0} parameters, {Workers} workers, {transport} slices of {sliceBytes:N0} bytes: bytes per step (gradients + weights)");
        foreach (var compression in Enum.GetValues<WireCompression>())
        {
            var bytes = StepBytes.Count(parameters, compression, sliceBytes, Workers);
            double total = (double)bytes.Total / none.Total;
            double gradients = (double)bytes.Gradients / none.Gradients;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {WireCompressions.Spell(compression),-5} {bytes.Gradients,12:N0} + {bytes.Weights,12:N0} = {bytes.Total,12:N0}  ({total:P2} of float32; gradients {gradients:P2})"));
            switch (compression)
            {
                case WireCompression.Bf16 or WireCompression.Fp16:
                    // Half the value bytes; the fields and headers of each message stay.
                    Assert.InRange(total, 0.5, 0.51);
                    break;
                case WireCompression.TopK:
                    // 1% of the values at 8 bytes each (position and value): 2% of float32, plus the fields.
                    Assert.InRange(gradients, 0.02, 0.0215);
                    Assert.Equal(none.Weights, bytes.Weights);
                    break;
            }
        }
    }

    public void Dispose() => _runs.Dispose();

    // 784-32-16-10 (25,818 parameters) on the builtin Fashion-MNIST subset, two epochs.
    private static BackpropSettings Settings() => new()
    {
        Data = new DataSettings { Path = "builtin:fashion-mnist-small" },
        Model = new ModelSettings { Layers = [new LayerSettings { Units = 32 }, new LayerSettings { Units = 16 }] },
        Optimizer = new OptimizerSettings { Kind = OptimizerKind.Momentum, LearningRate = 0.05 },
        Training = new TrainingSettings { Epochs = 2, BatchSize = 96, Seed = 3, Threads = 1 },
    };

    private TrainingJobOptions Job(BackpropSettings settings, string name) => _runs.Job(settings, name);

    // ‖a − b‖ / ‖b‖.
    private static double Distance(float[] a, float[] b) =>
        Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum() / b.Sum(y => (double)y * y));

    // The float32 run, from its initial weights to its last epoch's loss: local training that cuts each batch into the workers'
    // slices, which the equivalence tests prove bit-identical to two workers without compression.
    private (float[] Initial, float[] Trained, double TrainLoss) TrainLocally(BackpropSettings settings)
    {
        var setup = TrainingSetup.Create(Job(settings, "local"), null);
        float[] initial = (float[])setup.Parameters.Clone();
        using var gemm = new GemmEngine(new GemmOptions { Threads = 1 });
        var network = new Network(setup.Spec, setup.Parameters, gemm);
        var trainer = new Trainer(network, setup.Optimizer, setup.Schedule, settings.Training, setup.Data.Train, setup.Data.Validation, setup.Data.Test, Workers);
        trainer.Run(null, null, CancellationToken.None);
        return (initial, network.Parameters, trainer.State.History[^1].TrainLoss);
    }
}
