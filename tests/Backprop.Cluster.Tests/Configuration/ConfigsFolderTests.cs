using Backprop.Cluster.Configuration;
using Backprop.Nn.Data;
using Backprop.Nn.Losses;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Settings;
using Backprop.Numerics.Elementwise;

namespace Backprop.Cluster.Tests.Configuration;

/// <summary>The example configurations in the repository's <c>configs/</c> folder.</summary>
public sealed class ConfigsFolderTests
{
    private static readonly KeyValuePair<string, string>[] NoOverrides = [];

    [Fact]
    public void Configs_folder_should_hold_the_four_example_jobs()
    {
        var names = Directory.GetFiles(ConfigsFolder()).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(["default.conf", "diabetes.conf", "fashion-mnist.conf", "large.conf"], names);
    }

    [Theory]
    [InlineData("default.conf")]
    [InlineData("diabetes.conf")]
    [InlineData("fashion-mnist.conf")]
    [InlineData("large.conf")]
    public void Each_config_should_load_with_no_unknown_keys_and_a_comment_on_top(string name)
    {
        string path = Path.Combine(ConfigsFolder(), name);

        _ = SettingsReader.Load(path, NoOverrides);
        Assert.StartsWith("# ", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Fashion_mnist_config_should_train_a_784_256_128_10_relu_mlp_by_momentum_sgd()
    {
        var settings = SettingsReader.Load(Path.Combine(ConfigsFolder(), "fashion-mnist.conf"), NoOverrides);

        Assert.Equal("/usr/share/datasets/fashion-mnist", settings.Data.Path);
        Assert.Equal(
            [new LayerSettings { Units = 256, Activation = Activation.Relu }, new LayerSettings { Units = 128, Activation = Activation.Relu }],
            settings.Model.Layers);
        Assert.Equal(OptimizerKind.Momentum, settings.Optimizer.Kind);
        Assert.Equal(0.9, settings.Optimizer.Momentum);
        Assert.Equal(0.05, settings.Optimizer.LearningRate);
        Assert.Equal(10, settings.Training.Epochs);
        Assert.Equal(128, settings.Training.BatchSize);
    }

    [Fact]
    public void Large_config_should_build_a_784_2048_1024_10_mlp_for_the_scaling_work()
    {
        var settings = SettingsReader.Load(Path.Combine(ConfigsFolder(), "large.conf"), NoOverrides);

        Assert.Equal([2048, 1024], settings.Model.Layers.Select(l => l.Units));
        Assert.Equal("builtin:fashion-mnist-small", settings.Data.Path);
    }

    [Fact]
    public void Diabetes_config_should_fit_a_regression_with_mse_on_standardised_features()
    {
        var settings = SettingsReader.Load(Path.Combine(ConfigsFolder(), "diabetes.conf"), NoOverrides);

        Assert.Equal("builtin:diabetes", settings.Data.Path);
        Assert.Equal(TaskKind.Regression, settings.Data.Task);
        Assert.Equal(ScalingKind.Standardize, settings.Data.Scaling);
        Assert.Equal(LossKind.MeanSquaredError, settings.Model.Loss);
        Assert.Equal(OptimizerKind.Adam, settings.Optimizer.Kind);
    }

    [Fact]
    public void Default_config_should_train_a_small_mlp_on_the_builtin_subset_for_a_few_epochs()
    {
        var settings = SettingsReader.Load(Path.Combine(ConfigsFolder(), "default.conf"), NoOverrides);

        Assert.Equal("builtin:fashion-mnist-small", settings.Data.Path);
        Assert.All(settings.Model.Layers, layer => Assert.Equal(Activation.Relu, layer.Activation));
        Assert.Equal(OptimizerKind.Momentum, settings.Optimizer.Kind);
        Assert.InRange(settings.Training.Epochs, 1, 10);
    }

    private static string ConfigsFolder()
    {
        // Tests run from bin/<configuration>/<framework>; the repository root is the folder with the solution.
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Backprop.Cluster.sln")))
            {
                return Path.Combine(folder.FullName, "configs");
            }
        }

        throw new InvalidOperationException($"No Backprop.Cluster.sln above {AppContext.BaseDirectory}.");
    }
}
