using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.Cli.Sweeps;
using Backprop.Nn.Jobs;

namespace Backprop.Cli.Tests.Commands;

/// <summary><c>backprop sweep</c> end to end on the builtin data, one short epoch per trial.</summary>
public sealed class SweepCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _config;

    public SweepCommandTests()
    {
        // One epoch of the builtin Fashion-MNIST subset on a small network: well under a second a trial.
        _config = _temp.Write("small.conf", """
            backprop {
              model.layers = [{ units = 32 }]
              training { epochs = 1, threads = 1 }
            }
            """);
    }

    private string Root => _temp.File("sweeps");

    [Fact]
    public void A_two_by_two_grid_should_train_four_runs_and_save_the_best_as_a_config_that_trains()
    {
        var sweep = Sweep("s", "lr=0.01,0.05 batch=64,128");
        string folder = Path.Combine(Root, "s");
        Assert.Equal(["001-lr0.01-batch64", "002-lr0.01-batch128", "003-lr0.05-batch64", "004-lr0.05-batch128"], sweep.TrialList.Select(t => t.Id));
        foreach (var trial in sweep.TrialList)
        {
            Assert.Equal(TrialStatus.Finished, trial.Status);
            Assert.Equal(Path.Combine(folder, trial.Id), trial.RunDir);
            foreach (string file in new[] { RunFiles.Config, RunFiles.Summary, RunFiles.Model, RunFiles.Log, "metrics.jsonl", "evaluation.json" })
            {
                Assert.True(File.Exists(Path.Combine(trial.RunDir, file)), $"{trial.Id} has no {file}");
            }

            string config = File.ReadAllText(Path.Combine(trial.RunDir, RunFiles.Config));
            Assert.Contains($"learning-rate = {trial.Parameters["lr"]}", config, StringComparison.Ordinal);
            Assert.Contains($"batch-size = {trial.Parameters["batch"]}", config, StringComparison.Ordinal);
            Assert.InRange(trial.TestAccuracy!.Value, 0.2, 1);
        }

        var best = sweep.TrialList.MaxBy(t => t.TestAccuracy)!;
        Assert.Equal(best.Id, sweep.Best);
        Assert.Equal("test-accuracy", sweep.Metric);
        Assert.True(sweep.Completed);
        Assert.Equal(sweep.Best, SweepFile.Read(folder).Best);

        string bestConf = Path.Combine(folder, SweepFile.BestConfig);
        Assert.Equal(File.ReadAllText(Path.Combine(best.RunDir, RunFiles.Config)), File.ReadAllText(bestConf));
        var (code, output, error) = CliRunner.Run("train", "--config", bestConf, "--run-dir", _temp.File("again"), "--json");
        Assert.True(code == 0, error);
        Assert.Equal(best.TestAccuracy, JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.GetProperty("test_accuracy").GetDouble());
    }

    [Fact]
    public void A_diverging_trial_should_be_recorded_as_failed_and_the_sweep_go_on()
    {
        var sweep = Sweep("d", "lr=1e9,0.05");
        Assert.Equal(TrialStatus.Failed, sweep.TrialList[0].Status);
        Assert.Contains("The training loss became", sweep.TrialList[0].Error, StringComparison.Ordinal);
        Assert.Equal(TrialStatus.Finished, sweep.TrialList[1].Status);
        Assert.Equal(sweep.TrialList[1].Id, sweep.Best);
    }

    [Fact]
    public void Resume_should_train_only_the_trials_that_had_not_ended()
    {
        Sweep("r", "lr=0.01,0.05 seed=1,2");
        string folder = Path.Combine(Root, "r");

        // As if the sweep had been killed while its third trial trained: that trial running, the last pending.
        var record = JsonNode.Parse(File.ReadAllText(SweepFile.PathIn(folder)))!;
        var trials = record["trials"]!.AsArray();
        trials[2]!["status"] = TrialStatus.Running;
        trials[3]!["status"] = TrialStatus.Pending;
        Directory.Delete(trials[3]!["run_dir"]!.GetValue<string>(), recursive: true);
        File.WriteAllText(SweepFile.PathIn(folder), record.ToJsonString());
        var kept = trials.Take(2).Select(t => File.GetLastWriteTimeUtc(Path.Combine(t!["run_dir"]!.GetValue<string>(), RunFiles.Summary))).ToList();

        var (code, output, error) = CliRunner.Run("sweep", "--resume", "--root", Root, "--json");
        Assert.True(code == 0, error);
        Assert.Contains("resuming: 2 of 4 trials had ended", error, StringComparison.Ordinal);
        var resumed = JsonSerializer.Deserialize(output, SweepJsonContext.Default.SweepRecord)!;
        Assert.All(resumed.TrialList, t => Assert.Equal(TrialStatus.Finished, t.Status));
        Assert.Equal(kept, resumed.TrialList.Take(2).Select(t => File.GetLastWriteTimeUtc(Path.Combine(t.RunDir, RunFiles.Summary))));
        Assert.DoesNotContain("trial 1/4", error, StringComparison.Ordinal);
        Assert.Contains("trial 3/4 003-lr0.05-seed1 (lr=0.05 seed=1): finished", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_random_sweep_should_train_the_seeded_sample()
    {
        var sweep = Sweep("x", "lr=0.01,0.02,0.05 batch=64,128", "--random", "--trials", "2", "--seed", "3");
        var expected = TrialPlan.Random(GridParser.Parse(["lr=0.01,0.02,0.05 batch=64,128"]), 2, 3);
        Assert.Equal(expected.Select(t => t.Id), sweep.TrialList.Select(t => t.Id));
        Assert.Equal(["random", "2", "3"], [sweep.Sampling, sweep.RandomTrials!.Value.ToString(CultureInfo.InvariantCulture), sweep.Seed!.Value.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(Root, "x")).Length);
    }

    [Theory]
    [InlineData("lrr=0.1", "lrr: unknown key; did you mean lr?")]
    [InlineData("backprop.optimizer.learnig-rate=0.1", "backprop.optimizer.learnig-rate: unknown key; did you mean backprop.optimizer.learning-rate?")]
    [InlineData("lr=0.1,,0.2", "value 2 of lr is empty")]
    [InlineData("lr=0.1 lr=0.2", "lr is given twice")]
    [InlineData("lr=0.1 batch=64,0", "trial 002-lr0.1-batch0, backprop.training.batch-size: must be at least 1, got 0.")]
    [InlineData("optimizer=adam,sgdd", "trial 002-optimizersgdd, backprop.optimizer.name: unknown value \"sgdd\"")]
    public void A_bad_grid_should_fail_before_any_trial_runs(string grid, string expected)
    {
        var (code, _, error) = CliRunner.Run("sweep", "--config", _config, "--grid", grid, "--root", Root);
        Assert.Equal(2, code);
        Assert.Contains("error: configuration: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root));
    }

    [Theory]
    [InlineData("--trials", "2")]
    [InlineData("--random")]
    [InlineData("--metric", "speed")]
    public void Inconsistent_options_should_be_refused(params string[] options)
    {
        var (code, _, error) = CliRunner.Run(["sweep", "--grid", "lr=0.1", "--root", Root, .. options]);
        Assert.Equal(2, code);
        Assert.Contains(options[0], error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root));
    }

    public void Dispose() => _temp.Dispose();

    private SweepRecord Sweep(string name, string grid, params string[] more)
    {
        var (code, output, error) = CliRunner.Run(["sweep", "--config", _config, "--grid", grid, "--root", Root, "--name", name, "--json", .. more]);
        Assert.True(code == 0, error);
        return JsonSerializer.Deserialize(output, SweepJsonContext.Default.SweepRecord)!;
    }
}
