using Backprop.Nn.Data;

namespace Backprop.Nn.Tests.Data;

public sealed class BuiltinDatasetsTests
{
    [Fact]
    public void Builtin_fashion_mnist_small_should_hold_4000_training_and_1000_test_images_with_fashion_names()
    {
        var (train, test) = BuiltinDatasets.Load("fashion-mnist-small");

        Assert.Equal(4000, train.Count);
        Assert.Equal(1000, test!.Count);
        Assert.Equal(784, train.FeatureCount);
        Assert.Equal(784, test.FeatureCount);
        Assert.Equal(ClassNames.FashionMnist, train.ClassNames);
        Assert.Equal(ClassNames.FashionMnist, test.ClassNames);
        Assert.Equal("pixel0", train.FeatureNames[0]);
        Assert.Equal("builtin:fashion-mnist-small/train", train.Source);
        Assert.Equal([373, 440, 404, 409, 395, 391, 400, 413, 380, 395], CountPerClass(train));
        Assert.Equal([107, 105, 111, 93, 115, 87, 97, 95, 95, 95], CountPerClass(test));
        Assert.Equal(0f, train.Features.Min());
        Assert.Equal(255f, train.Features.Max());
        Assert.All(train.Features, v => Assert.Equal(MathF.Round(v), v));
    }

    [Fact]
    public void Builtin_fashion_mnist_small_should_be_the_first_records_of_the_original_files()
    {
        var (train, test) = BuiltinDatasets.Load("builtin:fashion-mnist-small");
        var originalTrainLabels = IdxReader.ReadLabels(SystemFashionMnist.File("train-labels-idx1-ubyte.gz"));
        var originalTest = IdxReader.Read(
            SystemFashionMnist.File("t10k-images-idx3-ubyte.gz"), SystemFashionMnist.File("t10k-labels-idx1-ubyte.gz"));

        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], train.Labels[..10]);
        Assert.Equal(originalTrainLabels[..4000].Select(b => (int)b), train.Labels);
        Assert.Equal(originalTest.Labels[..1000], test!.Labels);
        Assert.True(originalTest.Features.AsSpan(0, 1000 * 784).SequenceEqual(test.Features), "test pixels differ from t10k's first 1000 images");
    }

    [Fact]
    public void Builtin_diabetes_should_be_the_442_sample_regression_table()
    {
        var (train, test) = BuiltinDatasets.Load("diabetes");

        Assert.Null(test);
        Assert.Equal("builtin:diabetes", train.Source);
        Assert.Equal(TaskKind.Regression, train.Task);
        Assert.Equal(442, train.Count);
        Assert.Equal(["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], train.FeatureNames);
        Assert.Equal(1, train.TargetCount);
        Assert.Equal([59f, 2, 32.1f, 101, 157, 93.2f, 38, 4, 4.8598f, 87], train.Features[..10]);
        Assert.Equal([151f, 75, 141], train.Targets[..3]);
        Assert.Equal(25f, train.Targets.Min());
        Assert.Equal(346f, train.Targets.Max());
        Assert.Equal(214, train.Targets.Distinct().Count());
        Assert.Equal([1f, 2], train.Features.Where((_, i) => i % 10 == 1).Distinct().Order());
    }

    [Fact]
    public void Builtin_datasets_should_list_the_names_when_asked_for_an_unknown_one()
    {
        var error = Assert.Throws<ArgumentException>(() => BuiltinDatasets.Load("mnist"));

        Assert.Equal(["fashion-mnist-small", "diabetes"], BuiltinDatasets.Names);
        Assert.Contains("There is no builtin dataset \"mnist\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("builtin:fashion-mnist-small, builtin:diabetes", error.Message, StringComparison.Ordinal);
    }

    private static int[] CountPerClass(Dataset data) =>
        Enumerable.Range(0, data.ClassCount).Select(c => data.Labels.Count(l => l == c)).ToArray();
}
