using Backprop.Cli.Metrics;
using Backprop.Cli.Runs;

namespace Backprop.Cli.Tests.Commands;

/// <summary>What every run leaves in its folder besides the model: metrics, test evaluation and plots.</summary>
[Collection(TrainedRuns.Collection)]
public sealed class TrainMetricsTests(TrainedRuns runs)
{
    [Fact]
    public void A_local_run_should_log_every_nth_step_and_every_epoch()
    {
        var lines = MetricsFile.Read(runs.Local);

        // 4,000 samples at 128 a batch: 32 steps an epoch, 64 in all; a line every 8 steps.
        Assert.Equal([8L, 16, 24, 32, 40, 48, 56, 64], lines.Where(l => l.Kind == MetricsLine.StepKind).Select(l => l.Step));
        var epochs = lines.Where(l => l.Kind == MetricsLine.EpochKind).ToList();
        Assert.Equal([1, 2], epochs.Select(l => l.Epoch));
        Assert.All(epochs, e => Assert.NotNull(e.TestAccuracy));
        Assert.All(lines, l => Assert.True(l.Lr > 0 && l.SamplesPerSec > 0 && l.WallS > 0, $"step {l.Step}: lr {l.Lr}, {l.SamplesPerSec}/s, {l.WallS} s"));
        Assert.All(lines, l => Assert.Null(l.WorkerComputeUs));
    }

    [Fact]
    public void A_metrics_cadence_below_one_should_be_refused_before_anything_is_written()
    {
        string folder = Path.Combine(runs.Root, "refused");
        var (code, _, error) = CliRunner.Run("train", "--metrics-every", "0", "--run-dir", folder);
        Assert.NotEqual(0, code);
        Assert.Contains("--metrics-every must be 1 or more, got 0", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void A_cluster_run_should_log_each_workers_compute_time()
    {
        var steps = MetricsFile.Read(runs.Cluster).Where(l => l.Kind == MetricsLine.StepKind).ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, l =>
        {
            Assert.Equal(2, l.Workers);
            Assert.Equal(2, l.WorkerComputeUs!.Count);
            Assert.True(l.StepUs!.Round > 0);
        });
    }

    [Theory]
    [InlineData(RunArtifacts.LossPlot)]
    [InlineData(RunArtifacts.AccuracyPlot)]
    [InlineData(RunArtifacts.ThroughputPlot)]
    [InlineData(RunArtifacts.ConfusionPlot)]
    public void Every_run_should_end_with_its_plots(string plot)
    {
        foreach (string run in new[] { runs.Local, runs.Cluster })
        {
            Assert.True(Png.IsValid(File.ReadAllBytes(Path.Combine(run, plot))), $"{plot} of {run} is not a PNG that decodes");
        }
    }

    [Fact]
    public void Only_a_cluster_run_should_have_the_per_worker_plot()
    {
        Assert.False(File.Exists(Path.Combine(runs.Local, RunArtifacts.WorkerTimePlot)));
        Assert.True(Png.IsValid(File.ReadAllBytes(Path.Combine(runs.Cluster, RunArtifacts.WorkerTimePlot))));
    }

    [Fact]
    public void A_finished_classification_run_should_keep_its_test_evaluation()
    {
        var run = RunFolder.Read(runs.Local, DateTime.Now);
        var evaluation = run.Evaluation!;
        Assert.Equal(10, evaluation.PerClass!.Count);
        Assert.Equal("T-shirt/top", evaluation.PerClass[0].Class);
        Assert.Equal(evaluation.Samples, evaluation.ConfusionMatrix!.Sum(row => row.Sum()));
        Assert.Equal(run.Summary!.TestAccuracy, evaluation.Accuracy);
    }
}
