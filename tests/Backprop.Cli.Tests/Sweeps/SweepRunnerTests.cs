using Backprop.Cli.Sweeps;

namespace Backprop.Cli.Tests.Sweeps;

/// <summary>The trial loop with a stand-in for training: what it skips, when it stops, what it records.</summary>
public sealed class SweepRunnerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Ended_trials_should_be_skipped_and_the_rest_trained_in_order()
    {
        var trained = new List<string>();
        var sweep = Sweep(TrialStatus.Finished, TrialStatus.Failed, TrialStatus.Interrupted, TrialStatus.Pending);
        var ended = Runner(trial =>
        {
            trained.Add(trial.Id);
            return Finished(trial, 0.5);
        }).Run(sweep, null, CancellationToken.None);

        Assert.Equal(["t2", "t3"], trained);
        Assert.True(ended.Completed);
        Assert.Equal("test-accuracy", ended.Metric);
        Assert.Equal("t0", ended.Best);
        var stored = SweepFile.Read(_temp.Path);
        Assert.Equal(ended.Best, stored.Best);
        Assert.Equal(ended.TrialList.Select(t => t.Status), stored.TrialList.Select(t => t.Status));
        Assert.Equal("# settings of t0", File.ReadAllText(Path.Combine(_temp.Path, SweepFile.BestConfig)));
    }

    [Fact]
    public void A_stop_should_start_no_further_trial_and_an_interrupted_one_should_end_the_loop()
    {
        using var stop = new CancellationTokenSource();
        var trained = new List<string>();
        var ended = Runner(trial =>
        {
            trained.Add(trial.Id);
            stop.Cancel();
            return trial.Id == "t0" ? Finished(trial, 0.5) : trial;
        }).Run(Sweep(TrialStatus.Pending, TrialStatus.Pending, TrialStatus.Pending), null, stop.Token);
        Assert.Equal(["t0"], trained);
        Assert.Equal([TrialStatus.Finished, TrialStatus.Pending, TrialStatus.Pending], ended.TrialList.Select(t => t.Status));
        Assert.False(ended.Completed);

        trained.Clear();
        var interrupted = Runner(trial =>
        {
            trained.Add(trial.Id);
            return trial with { Status = TrialStatus.Interrupted };
        }).Run(Sweep(TrialStatus.Pending, TrialStatus.Pending), null, CancellationToken.None);
        Assert.Equal(["t0"], trained);
        Assert.Null(interrupted.Best);
    }

    [Fact]
    public void Every_start_and_end_should_be_recorded_before_the_next_trial()
    {
        var seen = new List<string>();
        Runner(trial =>
        {
            // While a trial trains, the file already says it is running.
            seen.Add(SweepFile.Read(_temp.Path).TrialList.First(t => t.Id == trial.Id).Status);
            return Finished(trial, 0.1);
        }).Run(Sweep(TrialStatus.Pending, TrialStatus.Pending), SweepMetric.TestAccuracy, CancellationToken.None);
        Assert.Equal([TrialStatus.Running, TrialStatus.Running], seen);
    }

    public void Dispose() => _temp.Dispose();

    private SweepRunner Runner(Func<TrialRecord, TrialRecord> train) => new(_temp.Path, new PlainSweepView(TextWriter.Null), train);

    private SweepRecord Sweep(params string[] statuses) => new()
    {
        Name = "test",
        Grid = [new GridAxisRecord { Name = "lr", Key = "backprop.optimizer.learning-rate", Values = ["0.1"] }],
        TrialList = [.. statuses.Select((status, i) =>
        {
            string folder = Path.Combine(_temp.Path, $"t{i}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "config.conf"), $"# settings of t{i}");
            return new TrialRecord
            {
                Index = i,
                Id = $"t{i}",
                Status = status,
                RunDir = folder,
                TestAccuracy = status == TrialStatus.Finished ? 0.9 : null,
                Parameters = new Dictionary<string, string> { ["lr"] = "0.1" },
            };
        })],
    };

    private static TrialRecord Finished(TrialRecord trial, double accuracy) => trial with { Status = TrialStatus.Finished, TestAccuracy = accuracy };
}
