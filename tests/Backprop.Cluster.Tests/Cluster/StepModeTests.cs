using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;
using Backprop.Nn.Jobs;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Cluster;

/// <summary>The step modes on a real in-process cluster: backup workers and bounded staleness.</summary>
public sealed class StepModeTests : IDisposable
{
    private readonly RunFolders _runs = new("backprop-modes");

    [Theory]
    [InlineData("lane")]
    [InlineData("akka")]
    public async Task Three_workers_with_one_backup_should_sum_two_gradients_a_step_and_still_learn(string transport)
    {
        var settings = Settings();
        var job = Job(settings, $"backup-{transport}");
        var cluster = new ClusterSettings { Transport = transport, MinWorkers = 3, Exchange = new ExchangeSettings { BackupWorkers = 1 } };

        var run = await ClusterRun.InProcessAsync(job, cluster, 3, threadsPerWorker: 1, null, null, CancellationToken.None);

        Assert.True(run.Training.Completed, run.Failure);
        long steps = run.Training.Steps;
        Assert.Equal((steps, 0L, 2 * steps, 0L, steps), (run.Closed.FullSteps, run.Closed.ShortHandedSteps, run.Closed.AppliedGradients, run.Closed.MissingGradients, run.Closed.LeftOutGradients));
        Assert.True(run.Training.History[^1].TrainLoss < run.Training.History[0].TrainLoss, "the loss should fall");
        Assert.True(run.Training.Test!.Classification!.Accuracy > 0.6, $"test accuracy {run.Training.Test.Classification.Accuracy}");
    }

    [Theory]
    [InlineData("lane")]
    [InlineData("akka")]
    public async Task Two_workers_with_staleness_one_should_compute_ahead_of_their_weights_and_still_learn(string transport)
    {
        // Delayed gradients act as extra momentum: 0.9 on top of them diverges on this short run, 0.5 learns.
        var settings = Settings() with { Optimizer = new OptimizerSettings { Kind = OptimizerKind.Momentum, LearningRate = 0.05, Momentum = 0.5 } };
        var cluster = new ClusterSettings { Transport = transport, MinWorkers = 2, Exchange = new ExchangeSettings { Staleness = 1 } };

        var run = await ClusterRun.InProcessAsync(Job(settings, $"stale-{transport}"), cluster, 2, threadsPerWorker: 1, null, null, CancellationToken.None);

        Assert.True(run.Training.Completed, run.Failure);
        long steps = run.Training.Steps;
        Assert.Equal((steps, 0L, 2 * steps, 0L), (run.Closed.FullSteps, run.Closed.ShortHandedSteps, run.Closed.AppliedGradients, run.Closed.MissingGradients));
        Assert.Equal(0, run.RejectedTotal);

        // Every step but an epoch's first is computed on the weights one version before its own.
        int perEpoch = (int)(steps / settings.Training.Epochs);
        Assert.Equal(2L * settings.Training.Epochs * (perEpoch - 1), run.Closed.StepsBehind);
        Assert.True(run.Training.History[^1].TrainLoss < run.Training.History[0].TrainLoss, "the loss should fall");
        Assert.True(run.Training.Test!.Classification!.Accuracy > 0.6, $"test accuracy {run.Training.Test.Classification.Accuracy}");
    }

    public void Dispose() => _runs.Dispose();

    private static BackpropSettings Settings() => new()
    {
        Data = new DataSettings { Path = "builtin:fashion-mnist-small" },
        Model = new ModelSettings { Layers = [new LayerSettings { Units = 32 }] },
        Optimizer = new OptimizerSettings { Kind = OptimizerKind.Momentum, LearningRate = 0.05 },
        Training = new TrainingSettings { Epochs = 2, BatchSize = 96, Seed = 3, Threads = 1 },
    };

    private TrainingJobOptions Job(BackpropSettings settings, string name) => _runs.Job(settings, name);
}
