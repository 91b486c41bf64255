using Akka.Configuration;
using Backprop.Cluster.Configuration;
using Backprop.Nn.Settings;
using Backprop.Numerics.Elementwise;

namespace Backprop.Cluster.Tests.Configuration;

public sealed class SettingsWriterTests
{
    [Fact]
    public void Writer_should_write_the_defaults_so_that_they_read_back_equal()
    {
        var settings = new BackpropSettings();

        SettingsAssert.Equal(settings, RoundTrip(settings));
    }

    [Fact]
    public void Writer_should_write_every_key_so_that_they_read_back_equal()
    {
        SettingsAssert.Equal(SampleSettings.EveryKeySettings, RoundTrip(SampleSettings.EveryKeySettings));
    }

    [Fact]
    public void Writer_should_write_awkward_text_and_numbers_so_that_they_read_back_exactly()
    {
        var settings = new BackpropSettings
        {
            Data = new DataSettings
            {
                Path = "C:\\data\\\"quoted\" #hash // slashes: ${not} {a} [b]",
                Target = "température\tcolumn",
                TestSplit = 0.1 + 0.2,
            },
            Model = new ModelSettings
            {
                Layers = [new LayerSettings { Units = 3, Activation = Activation.LeakyRelu(0.1f + 0.2f), InitScale = 1e-300, Bias = -1.5e-7 }],
            },
            Optimizer = new OptimizerSettings { LearningRate = 1.0 / 3, Epsilon = double.Epsilon },
            Training = new TrainingSettings { Seed = long.MaxValue, EarlyStopping = new EarlyStoppingSettings { MinDelta = 123456789.125 } },
        };

        SettingsAssert.Equal(settings, RoundTrip(settings));
    }

    [Fact]
    public void Writer_should_write_an_empty_layer_list_so_that_it_reads_back_empty()
    {
        var settings = new BackpropSettings { Model = new ModelSettings { Layers = [] } };

        Assert.Empty(RoundTrip(settings).Model.Layers);
    }

    [Fact]
    public void Writer_should_write_every_key_of_the_schema_in_order()
    {
        var config = ConfigurationFactory.ParseString(SettingsWriter.ToHocon(new BackpropSettings()));

        Assert.Equal(KeySchema.ValuePaths(), HoconPaths.ValuePaths(config));
    }

    [Fact]
    public void Writer_should_write_every_layer_key()
    {
        var config = ConfigurationFactory.ParseString(SettingsWriter.ToHocon(new BackpropSettings()));

        foreach (var layer in config.GetValue(KeySchema.Layers).GetArray())
        {
            Assert.Equal(KeySchema.LayerKeys, layer.GetObject().Items.Keys);
        }
    }

    [Fact]
    public void Writer_should_write_the_same_text_every_time()
    {
        string first = SettingsWriter.ToHocon(SampleSettings.EveryKeySettings);
        string second = SettingsWriter.ToHocon(SampleSettings.EveryKeySettings);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Writer_should_spell_values_as_a_configuration_file_does()
    {
        string text = SettingsWriter.ToHocon(SampleSettings.EveryKeySettings);

        Assert.Contains("      { units = 64, activation = leaky-relu, slope = 0.2, dropout = 0.1, init = he-normal, init-scale = 0.5, bias = 0.01 }\n", text, StringComparison.Ordinal);
        Assert.Contains("    epsilon = 1e-6\n", text, StringComparison.Ordinal);
        Assert.Contains("    name = adamw\n", text, StringComparison.Ordinal);
        Assert.Contains("    path = \"/data/my table.csv\"\n", text, StringComparison.Ordinal);
        Assert.Contains("      metric = val-accuracy\n", text, StringComparison.Ordinal);
        Assert.Contains("    task = auto\n", SettingsWriter.ToHocon(new BackpropSettings()), StringComparison.Ordinal);
        Assert.Contains("    loss = null\n", SettingsWriter.ToHocon(new BackpropSettings()), StringComparison.Ordinal);
    }

    private static BackpropSettings RoundTrip(BackpropSettings settings) =>
        SettingsReader.LoadText(SettingsWriter.ToHocon(settings), "config.conf");
}
