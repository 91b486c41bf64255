using Backprop.Cli.Sweeps;
using Backprop.Nn.Settings;

namespace Backprop.Cli.Tests.Sweeps;

/// <summary>Reading <c>--grid</c> and drawing trials from it.</summary>
public sealed class GridTests
{
    [Fact]
    public void Entries_should_resolve_short_names_and_keep_lists_whole()
    {
        var axes = GridParser.Parse(["lr=0.01,0.1 batch=64", "backprop.model.layers=[{ units = 8 }, { units = 4 }],[]"]);
        Assert.Equal(["backprop.optimizer.learning-rate", "backprop.training.batch-size", "backprop.model.layers"], axes.Select(a => a.Key));
        Assert.Equal(["0.01", "0.1"], axes[0].Values);
        Assert.Equal(["[{ units = 8 }, { units = 4 }]", "[]"], axes[2].Values);
    }

    [Theory]
    [InlineData("lrr=0.1", "lrr: unknown key; did you mean lr?")]
    [InlineData("backprop.optimizer.learnig-rate=0.1", "backprop.optimizer.learnig-rate: unknown key; did you mean backprop.optimizer.learning-rate?")]
    [InlineData("learning-rate=0.1", "did you mean backprop.optimizer.learning-rate?")]
    [InlineData("backprop.training=1", "backprop.training: is a section, not one setting")]
    [InlineData("akka.loglevel=DEBUG", "expected a key under backprop")]
    [InlineData("lr=", "lr has no values")]
    [InlineData("lr=0.1,,0.2", "value 2 of lr is empty")]
    [InlineData("lr=0.1,0.1", "lr lists 0.1 more than once")]
    [InlineData("lr=0.1 lr=0.2", "lr is given twice")]
    [InlineData("lr=0.1 backprop.optimizer.learning-rate=0.2", "lr and backprop.optimizer.learning-rate both set backprop.optimizer.learning-rate")]
    [InlineData("lr", "'lr' is not KEY=V1,V2,...")]
    [InlineData("  ", "no settings to sweep")]
    public void A_bad_grid_should_say_what_is_wrong(string grid, string expected)
    {
        var e = Assert.Throws<InvalidSettingException>(() => GridParser.Parse([grid]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_full_grid_should_vary_the_last_axis_fastest()
    {
        var trials = TrialPlan.Grid(GridParser.Parse(["lr=0.01,0.1 batch=64,128"]));
        Assert.Equal(["001-lr0.01-batch64", "002-lr0.01-batch128", "003-lr0.1-batch64", "004-lr0.1-batch128"], trials.Select(t => t.Id));
        Assert.Equal(["0.1", "64"], trials[2].Values);
    }

    [Fact]
    public void A_random_sample_should_be_distinct_and_the_same_for_the_same_seed()
    {
        var axes = GridParser.Parse(["lr=1,2,3,4,5,6 batch=1,2,3,4,5 seed=1,2,3"]);
        var first = TrialPlan.Random(axes, 20, seed: 7);
        var again = TrialPlan.Random(axes, 20, seed: 7);
        var other = TrialPlan.Random(axes, 20, seed: 8);
        Assert.Equal(20, first.Select(t => t.Id).Distinct().Count());
        Assert.Equal(first.Select(t => t.Id), again.Select(t => t.Id));
        Assert.NotEqual(first.Select(t => t.Id), other.Select(t => t.Id));

        // Each sampled trial is the grid's trial of the same index, so ids agree with the full grid's.
        var grid = TrialPlan.Grid(axes);
        Assert.All(first, t =>
        {
            Assert.Equal(grid[(int)t.Index].Id, t.Id);
            Assert.Equal(grid[(int)t.Index].Values, t.Values);
        });

        // Most of the grid (the shuffle path) and more than all of it.
        Assert.Equal(80, TrialPlan.Random(axes, 80, seed: 7).Select(t => t.Id).Distinct().Count());
        Assert.Equal(90, TrialPlan.Random(axes, 500, seed: 7).Count);
    }
}
