using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Sharding;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Persistence;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Cluster;

/// <summary>
/// A parameter server sharded K ways across server nodes (separate actor systems joined over loopback
/// TCP, every tensor through the serializer): the workers end bit-identical to local training, and
/// the checkpoints gather every shard into the same file one server writes.
/// </summary>
public sealed class ShardedServerTests : IDisposable
{
    private readonly RunFolders _runs = new("backprop-shards");

    [Theory]
    [InlineData(2, 2, 0, OptimizerKind.Adam, "lane")]
    [InlineData(3, 2, 1, OptimizerKind.Momentum, "lane")]
    [InlineData(2, 3, 0, OptimizerKind.Momentum, "akka")]
    [InlineData(3, 2, 1, OptimizerKind.Adam, "akka")]
    public async Task K_shards_should_end_bit_identical_to_local_training_and_checkpoint_what_one_server_does(int servers, int workers, int bucketBytes, OptimizerKind optimizer, string transport)
    {
        // Two epochs and periodic checkpoints: snapshots are gathered at epoch ends and mid-epoch.
        var settings = new BackpropSettings
        {
            Data = new DataSettings { Path = "builtin:fashion-mnist-small" },
            Model = new ModelSettings { Layers = [new LayerSettings { Units = 32 }, new LayerSettings { Units = 16 }] },
            Optimizer = new OptimizerSettings { Kind = optimizer, LearningRate = optimizer == OptimizerKind.Adam ? 0.005 : 0.05 },
            Training = new TrainingSettings { Epochs = 2, BatchSize = 96, Seed = 5, Threads = 1, CheckpointEvery = 7 },
        };
        var exchange = new ExchangeSettings { BucketBytes = bucketBytes };

        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var sharded = await ClusterRun.InProcessAsync(
            _runs.Job(settings, $"sharded-{servers}"), new ClusterSettings { Transport = transport, Exchange = exchange with { Servers = servers } }, workers, threadsPerWorker: 1, null, log.Enqueue, CancellationToken.None);
        Assert.True(sharded.Training.Completed, sharded.Failure);
        Assert.Contains($"all {servers} shards of the parameter server are ready", log);
        Assert.Equal((workers, 0L, 0L), (sharded.Workers, sharded.ShortHandedSteps, sharded.RejectedTotal));
        Assert.Equal(_runs.TrainLocally(settings, slices: workers), ModelFile.Load(sharded.Training.ModelPath!).Parameters);

        var single = await ClusterRun.InProcessAsync(
            _runs.Job(settings, "single"), new ClusterSettings { Transport = transport, Exchange = exchange }, workers, threadsPerWorker: 1, null, null, CancellationToken.None);
        Assert.True(single.Training.Completed, single.Failure);
        var gathered = TrainingCheckpoint.Load(sharded.Training.CheckpointPath);
        var whole = TrainingCheckpoint.Load(single.Training.CheckpointPath);
        Assert.Equal(whole.Model.Parameters, gathered.Model.Parameters);
        Assert.Equal(whole.OptimizerSteps, gathered.OptimizerSteps);
        Assert.Equal(whole.OptimizerState.Count, gathered.OptimizerState.Count);
        for (int i = 0; i < whole.OptimizerState.Count; i++)
        {
            Assert.Equal(whole.OptimizerState[i], gathered.OptimizerState[i]);
        }

        Assert.Equal(whole.State.Step, gathered.State.Step);
    }

    [Fact]
    public async Task Shards_larger_than_an_akka_frame_should_start_and_checkpoint_on_the_lane()
    {
        // 784-2048-256-10: 2.1M parameters, over 4 MB (Akka.Remote's largest frame) a shard. The start
        // values and the snapshots go over Akka.Remote whatever the transport: in slices that fit.
        var settings = new BackpropSettings
        {
            Data = new DataSettings { Path = "builtin:fashion-mnist-small" },
            Model = new ModelSettings { Layers = [new LayerSettings { Units = 2048 }, new LayerSettings { Units = 256 }] },
            Optimizer = new OptimizerSettings { Kind = OptimizerKind.Adam, LearningRate = 0.001 },
            Training = new TrainingSettings { Epochs = 1, BatchSize = 500, Seed = 5, Threads = 1, CheckpointEvery = 3 },
        };

        var sharded = await ClusterRun.InProcessAsync(
            _runs.Job(settings, "big-shards"), new ClusterSettings { Exchange = new ExchangeSettings { Servers = 2 } }, 1, threadsPerWorker: 1, null, null, CancellationToken.None);

        Assert.True(sharded.Training.Completed, sharded.Failure);
        Assert.Equal(_runs.TrainLocally(settings, slices: 1), ModelFile.Load(sharded.Training.ModelPath!).Parameters);
        Assert.Equal(_runs.TrainLocally(settings, slices: 1), TrainingCheckpoint.Load(sharded.Training.CheckpointPath).Model.Parameters);
    }

    [Fact]
    public void Clip_norm_should_be_refused_with_a_sharded_server()
    {
        var cluster = new ClusterSettings { Transport = "akka", Exchange = new ExchangeSettings { Servers = 2 } };
        var settings = new BackpropSettings { Optimizer = new OptimizerSettings { ClipNorm = 1 } };

        var error = Assert.Throws<InvalidSettingException>(() => ShardingChecks.Validate(cluster, settings));

        Assert.StartsWith("backprop.optimizer.clip-norm: clips by the whole gradient's norm", error.Message, StringComparison.Ordinal);
        ShardingChecks.Validate(cluster with { Exchange = ExchangeSettings.Default }, settings);
    }

    public void Dispose() => _runs.Dispose();
}
