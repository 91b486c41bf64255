using Backprop.Nn.Data;

namespace Backprop.Nn.Tests.Data;

public sealed class DatasetTests
{
    private static readonly string[] TwoFeatures = ["a", "b"];

    [Fact]
    public void Dataset_select_should_copy_the_rows_in_the_order_given()
    {
        var data = Dataset.Classification("mem", [0, 1, 10, 11, 20, 21], 2, TwoFeatures, [0, 1, 2], ["x", "y", "z"]);

        var picked = data.Select([2, 0, 2]);

        Assert.Equal([20f, 21, 0, 1, 20, 21], picked.Features);
        Assert.Equal([2, 0, 2], picked.Labels);
        Assert.Equal(data.ClassNames, picked.ClassNames);
        Assert.Equal(3, picked.Count);
        picked.Features[0] = -1;
        Assert.Equal(20f, data.Features[4]);
    }

    [Fact]
    public void Dataset_select_should_copy_regression_targets()
    {
        var data = Dataset.Regression("mem", [0, 1, 10, 11, 20, 21], 2, TwoFeatures, [0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f], 2);

        var picked = data.Select([1]);

        Assert.Equal([10f, 11], picked.Features);
        Assert.Equal([2.5f, 3.5f], picked.Targets);
        Assert.Equal(2, picked.TargetCount);
        Assert.Empty(picked.Labels);
    }

    [Fact]
    public void Dataset_select_should_reject_an_index_outside_the_rows()
    {
        var data = Dataset.Classification("mem", [0, 1], 2, TwoFeatures, [0], ["x"]);

        Assert.Throws<ArgumentOutOfRangeException>(() => data.Select([0, 1]));
    }

    [Fact]
    public void Dataset_with_features_should_keep_labels_and_check_the_length()
    {
        var data = Dataset.Classification("mem", [0, 1, 2, 3], 2, TwoFeatures, [1, 0], ["x", "y"]);

        var scaled = data.WithFeatures([9, 9, 9, 9]);

        Assert.Equal([9f, 9, 9, 9], scaled.Features);
        Assert.Equal(data.Labels, scaled.Labels);
        Assert.Throws<ArgumentException>(() => data.WithFeatures([1, 2, 3]));
    }

    [Fact]
    public void Dataset_should_reject_inconsistent_arguments()
    {
        Assert.Contains("label 2 of sample 1", Assert.Throws<ArgumentException>(
            () => Dataset.Classification("mem", [0, 1], 1, ["a"], [0, 2], ["x", "y"])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Dataset.Classification("mem", [0, 1, 2], 1, ["a"], [0, 1], ["x", "y"]));
        Assert.Throws<ArgumentException>(() => Dataset.Classification("mem", [0, 1], 1, TwoFeatures, [0, 1], ["x", "y"]));
        Assert.Throws<ArgumentException>(() => Dataset.Classification("mem", [0, 1], 1, ["a"], [0, 0], []));
        Assert.Throws<ArgumentException>(() => Dataset.Regression("mem", [0, 1], 2, TwoFeatures, [1, 2, 3], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.Regression("mem", [], 0, [], [], 1));
    }

    [Fact]
    public void Dataset_should_not_share_the_callers_name_lists()
    {
        var names = new List<string> { "a", "b" };
        var data = Dataset.Classification("mem", [0, 1], 2, names, [0], ["x"]);

        names[0] = "changed";

        Assert.Equal("a", data.FeatureNames[0]);
    }
}
