using Backprop.Cli.Sweeps;
using Backprop.Nn.Settings;

namespace Backprop.Cli.Tests.Sweeps;

/// <summary>Choosing the best trial: the right direction per metric, finished trials only, ties to the earlier one.</summary>
public sealed class BestTrialTests
{
    private static readonly TrialRecord[] Trials =
    [
        Trial(0, TrialStatus.Finished, accuracy: 0.80, loss: 0.50),
        Trial(1, TrialStatus.Finished, accuracy: 0.85, loss: 0.60),
        Trial(2, TrialStatus.Failed, accuracy: null, loss: null),
        Trial(3, TrialStatus.Finished, accuracy: 0.85, loss: 0.40),
        Trial(4, TrialStatus.Finished, accuracy: 0.70, loss: double.NaN),
        Trial(5, TrialStatus.Interrupted, accuracy: 0.99, loss: 0.01),
    ];

    [Fact]
    public void Accuracy_should_be_maximised_with_ties_going_to_the_earlier_trial() =>
        Assert.Equal("t1", SweepMetric.TestAccuracy.Best(Trials)?.Id);

    [Fact]
    public void Loss_should_be_minimised_skipping_non_finite_values_and_unfinished_trials() =>
        Assert.Equal("t3", SweepMetric.TestLoss.Best(Trials)?.Id);

    [Fact]
    public void No_finished_trial_should_give_no_best() =>
        Assert.Null(SweepMetric.TestAccuracy.Best([Trials[2], Trials[5]]));

    [Fact]
    public void The_default_should_follow_the_task()
    {
        Assert.Same(SweepMetric.TestAccuracy, SweepMetric.DefaultFor(Trials));
        Assert.Same(SweepMetric.TestLoss, SweepMetric.DefaultFor([Trial(0, TrialStatus.Finished, accuracy: null, loss: 3000)]));
    }

    [Theory]
    [InlineData("test-accuracy", "test-accuracy", true)]
    [InlineData("accuracy", "test-accuracy", true)]
    [InlineData("test_loss", "test-loss", false)]
    [InlineData("r2", "test-r2", true)]
    [InlineData("MSE", "test-mse", false)]
    public void Metric_names_should_be_read_loosely(string name, string expected, bool higherIsBetter)
    {
        var metric = SweepMetric.Parse(name);
        Assert.Equal(expected, metric.Name);
        Assert.Equal(higherIsBetter, metric.HigherIsBetter);
    }

    [Fact]
    public void An_unknown_metric_should_list_the_known_ones()
    {
        var e = Assert.Throws<InvalidSettingException>(() => SweepMetric.Parse("speed"));
        Assert.Contains("--metric: 'speed' is not a metric; use one of test-accuracy, test-loss", e.Message, StringComparison.Ordinal);
    }

    private static TrialRecord Trial(int index, string status, double? accuracy, double? loss) =>
        new() { Index = index, Id = $"t{index}", Status = status, TestAccuracy = accuracy, TestLoss = loss };
}
