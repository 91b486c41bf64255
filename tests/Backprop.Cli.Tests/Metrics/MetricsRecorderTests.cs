using Backprop.Cli.Metrics;
using Backprop.Cluster.ParameterServer;
using Backprop.Nn.Training;

namespace Backprop.Cli.Tests.Metrics;

/// <summary>The metrics file written while a run trains: cadence, content, resume and failure.</summary>
public sealed class MetricsRecorderTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly List<string> _warnings = [];

    [Fact]
    public void It_should_write_every_nth_step_and_every_epoch()
    {
        string path = _temp.File("metrics.jsonl");
        using (var recorder = Recorder(path, every: 5))
        {
            Train(recorder, fromStep: 1, toStep: 20, batches: 10);
        }

        var lines = MetricsFile.Parse(File.ReadLines(path));
        Assert.Equal([5L, 10, 10, 15, 20, 20], lines.Select(l => l.Step));
        Assert.Equal(["step", "step", "epoch", "step", "step", "epoch"], lines.Select(l => l.Kind));
        var epoch = lines[^1];
        Assert.Equal(2, epoch.Epoch);
        Assert.Equal(0.5, epoch.ValidationLoss);
        Assert.Equal(0.8, epoch.TestAccuracy);
        Assert.True(lines.Zip(lines.Skip(1)).All(p => p.Second.WallS >= p.First.WallS), "wall seconds never go back");
        Assert.Null(lines[0].StepUs);
    }

    [Fact]
    public void A_cluster_step_line_should_carry_the_step_timing_and_each_workers_compute_time()
    {
        string path = _temp.File("metrics.jsonl");
        using (var recorder = Recorder(path, every: 2))
        {
            recorder.StepTimed(2, new StepTiming(10, 900, 700, 50), 3, [500, 700, 0]);
            recorder.StepCompleted(Progress(2, batches: 10));
        }

        var line = Assert.Single(MetricsFile.Parse(File.ReadLines(path)));
        Assert.Equal(3, line.Workers);
        Assert.Equal([500L, 700, 0], line.WorkerComputeUs!);
        Assert.Equal(new StepTimingLine(10, 900, 700, 200, 50), line.StepUs);
    }

    [Fact]
    public void A_resumed_run_should_drop_the_lines_after_its_checkpoint_and_carry_the_wall_time_on()
    {
        string path = _temp.File("metrics.jsonl");
        using (var first = Recorder(path, every: 5))
        {
            Train(first, fromStep: 1, toStep: 25, batches: 10);
        }

        double wallAt20 = MetricsFile.Parse(File.ReadLines(path)).Last(l => l.Step == 20).WallS;

        // Killed at step 25, resumed from the epoch-end checkpoint of step 20.
        using (var resumed = Recorder(path, every: 5))
        {
            Train(resumed, fromStep: 21, toStep: 30, batches: 10);
        }

        var lines = MetricsFile.Parse(File.ReadLines(path));
        Assert.Equal([5L, 10, 10, 15, 20, 20, 25, 30, 30], lines.Select(l => l.Step));
        Assert.Equal([1, 2, 3], lines.Where(l => l.Kind == MetricsLine.EpochKind).Select(l => l.Epoch));
        Assert.True(lines.Single(l => l.Step == 25).WallS >= wallAt20, "the resumed process's wall time starts where the kept lines end");
    }

    [Fact]
    public void A_step_that_is_not_logged_should_allocate_nothing()
    {
        using var recorder = Recorder(_temp.File("metrics.jsonl"), every: 1000);
        recorder.StepCompleted(Progress(1, batches: 5000));
        var progress = Progress(2, batches: 5000);
        recorder.StepCompleted(progress);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long step = 3; step < 900; step++)
        {
            recorder.StepCompleted(progress with { Step = step, Batch = (int)step });
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_metrics_file_that_cannot_be_written_should_be_reported_once_and_not_stop_the_run()
    {
        string path = Path.Combine(_temp.File("no-such-folder"), "metrics.jsonl");
        using (var recorder = Recorder(path, every: 1))
        {
            Train(recorder, fromStep: 1, toStep: 4, batches: 2);
        }

        var warning = Assert.Single(_warnings);
        Assert.Contains(path, warning, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static TrainingProgress Progress(long step, int batches) =>
        new((int)((step - 1) / batches) + 1, 5, (int)((step - 1) % batches) + 1, batches, step, 1.0 / step, 0.5, 1000, 0.1);

    private static void Train(MetricsRecorder recorder, long fromStep, long toStep, int batches)
    {
        for (long step = fromStep; step <= toStep; step++)
        {
            recorder.StepCompleted(Progress(step, batches));
            if (step % batches == 0)
            {
                recorder.EpochCompleted(new EpochReport
                {
                    Epoch = (int)(step / batches),
                    Steps = step,
                    LearningRate = 0.1,
                    TrainLoss = 0.4,
                    TrainAccuracy = 0.9,
                    ValidationLoss = 0.5,
                    ValidationAccuracy = 0.85,
                    TestLoss = 0.55,
                    TestAccuracy = 0.8,
                    TrainSeconds = 1,
                    TrainSamples = 1000,
                });
            }
        }
    }

    private MetricsRecorder Recorder(string path, int every) => new(path, every, new NoDisplay(), _warnings.Add);

    private sealed class NoDisplay : ITrainingObserver
    {
        public void StepCompleted(in TrainingProgress progress)
        {
        }

        public void EpochCompleted(EpochReport report)
        {
        }
    }
}
