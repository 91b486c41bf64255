using System.Collections;
using Backprop.Cluster.Configuration;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Configuration;

public sealed class EnvironmentOverridesTests
{
    [Theory]
    [InlineData("BACKPROP__TRAINING__EPOCHS", "backprop.training.epochs")]
    [InlineData("BACKPROP__OPTIMIZER__LEARNING_RATE", "backprop.optimizer.learning-rate")]
    [InlineData("BACKPROP__CLUSTER__MIN_WORKERS", "backprop.cluster.min-workers")]
    [InlineData("BACKPROP__data__path", "backprop.data.path")]
    public void A_variable_should_name_its_key(string variable, string key) =>
        Assert.Equal(key, EnvironmentOverrides.KeyOf(variable));

    [Theory]
    [InlineData("BACKPROP__TRAINING___EPOCHS")]
    [InlineData("BACKPROP____EPOCHS")]
    [InlineData("BACKPROP__TRAINING__")]
    public void A_malformed_variable_should_be_refused_by_name(string variable)
    {
        var e = Assert.Throws<InvalidSettingException>(() => EnvironmentOverrides.KeyOf(variable));
        Assert.Equal(variable, e.KeyPath);
    }

    [Fact]
    public void The_environment_should_sit_between_the_file_and_the_flags()
    {
        using var file = new TempConfig("backprop.training { epochs = 7, batch-size = 16 }");
        IDictionary environment = new Hashtable
        {
            ["BACKPROP__TRAINING__EPOCHS"] = "3",
            ["BACKPROP__TRAINING__BATCH_SIZE"] = "64",
            ["BACKPROP__DATA__PATH"] = "builtin:diabetes",
            ["BACKPROP__OPTIMIZER__NAME"] = string.Empty,
            ["PATH"] = "/usr/bin",
        };

        var settings = SettingsReader.Load(file.Path, [.. EnvironmentOverrides.Read(environment), new("backprop.training.batch-size", "32")]);

        Assert.Equal(3, settings.Training.Epochs);
        Assert.Equal(32, settings.Training.BatchSize);
        Assert.Equal("builtin:diabetes", settings.Data.Path);
        Assert.Equal(SettingsReader.Load(null, []).Optimizer.Kind, settings.Optimizer.Kind);
    }

    [Fact]
    public void An_unknown_key_should_be_reported_with_its_variable_and_the_nearest_key()
    {
        IDictionary environment = new Hashtable { ["BACKPROP__TRAINING__EPOCH"] = "3" };

        var e = Assert.Throws<InvalidSettingException>(() => EnvironmentOverrides.Read(environment));

        Assert.Equal("BACKPROP__TRAINING__EPOCH", e.KeyPath);
        Assert.Contains("backprop.training.epochs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_config_file_variable_should_count_only_when_set()
    {
        Assert.Equal("/srv/backprop/configs/a.conf", EnvironmentOverrides.ConfigFile(new Hashtable { ["BACKPROP_CONFIG"] = "/srv/backprop/configs/a.conf" }));
        Assert.Null(EnvironmentOverrides.ConfigFile(new Hashtable { ["BACKPROP_CONFIG"] = string.Empty }));
        Assert.Null(EnvironmentOverrides.ConfigFile(new Hashtable()));
    }
}
