using Backprop.Cluster.Configuration;
using Backprop.Nn.Data;
using Backprop.Nn.Initialization;
using Backprop.Nn.Losses;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Settings;
using Backprop.Numerics.Elementwise;

namespace Backprop.Cluster.Tests.Configuration;

public sealed class SettingsReaderTests
{
    private static readonly KeyValuePair<string, string>[] NoOverrides = [];

    [Fact]
    public void Reader_should_give_the_record_defaults_when_there_is_no_file_and_no_override()
    {
        SettingsAssert.Equal(new BackpropSettings(), SettingsReader.Load(null, NoOverrides));
    }

    [Fact]
    public void Reader_should_read_every_key_from_a_file()
    {
        using var file = new TempConfig(SampleSettings.EveryKey);

        SettingsAssert.Equal(SampleSettings.EveryKeySettings, SettingsReader.Load(file.Path, NoOverrides));
    }

    [Fact]
    public void Reader_should_keep_the_defaults_of_keys_a_file_leaves_out()
    {
        using var file = new TempConfig("backprop.training.epochs = 3");

        var expected = new BackpropSettings { Training = new TrainingSettings { Epochs = 3 } };
        SettingsAssert.Equal(expected, SettingsReader.Load(file.Path, NoOverrides));
    }

    [Fact]
    public void Reader_should_let_overrides_win_over_the_file()
    {
        using var file = new TempConfig("""
            backprop {
              training { epochs = 3, batch-size = 16 }
              optimizer.name = adam
            }
            """);

        var settings = SettingsReader.Load(file.Path, [new("backprop.training.epochs", "7"), new("backprop.optimizer.name", "sgd")]);

        Assert.Equal(7, settings.Training.Epochs);
        Assert.Equal(16, settings.Training.BatchSize);
        Assert.Equal(OptimizerKind.Sgd, settings.Optimizer.Kind);
    }

    [Fact]
    public void Reader_should_let_a_later_override_win_over_an_earlier_one()
    {
        var settings = SettingsReader.Load(null, [new("backprop.training.epochs", "7"), new("backprop.training.epochs", "9")]);

        Assert.Equal(9, settings.Training.Epochs);
    }

    [Fact]
    public void Reader_should_replace_the_whole_layer_list_when_a_file_gives_one()
    {
        using var file = new TempConfig("backprop.model.layers = [{ units = 32 }]");

        var layers = SettingsReader.Load(file.Path, NoOverrides).Model.Layers;

        Assert.Equal([new LayerSettings { Units = 32 }], layers);
    }

    [Fact]
    public void Reader_should_give_a_layer_the_defaults_of_the_keys_it_leaves_out()
    {
        using var file = new TempConfig("backprop.model.layers = [{ units = 10, activation = leaky-relu }]");

        var layer = Assert.Single(SettingsReader.Load(file.Path, NoOverrides).Model.Layers);

        Assert.Equal(new LayerSettings { Units = 10, Activation = Activation.LeakyRelu() }, layer);
    }

    [Fact]
    public void Reader_should_read_an_empty_layer_list_as_no_hidden_layers()
    {
        using var file = new TempConfig("backprop.model.layers = []");

        Assert.Empty(SettingsReader.Load(file.Path, NoOverrides).Model.Layers);
    }

    [Fact]
    public void Reader_should_read_null_and_auto_as_deciding_from_the_data()
    {
        using var file = new TempConfig("""
            backprop.data { task = regression, target = y }
            backprop.model { inputs = 5, outputs = 1, loss = mse }
            """);
        var overrides = new KeyValuePair<string, string>[]
        {
            new("backprop.data.task", "auto"), new("backprop.data.target", "null"),
            new("backprop.model.inputs", "auto"), new("backprop.model.outputs", "null"), new("backprop.model.loss", "auto"),
        };

        var settings = SettingsReader.Load(file.Path, overrides);

        Assert.Null(settings.Data.Task);
        Assert.Null(settings.Data.Target);
        Assert.Null(settings.Model.Inputs);
        Assert.Null(settings.Model.Outputs);
        Assert.Null(settings.Model.Loss);
    }

    [Fact]
    public void Reader_should_accept_the_other_names_of_initialisers_and_losses()
    {
        using var file = new TempConfig("""
            backprop.model {
              layers = [{ units = 4, init = glorot-uniform }, { units = 4, init = kaiming-normal }, { units = 4, init = GLOROT-NORMAL }]
              output-init = kaiming-uniform
              loss = mean-squared-error
            }
            """);

        var model = SettingsReader.Load(file.Path, NoOverrides).Model;

        Assert.Equal(
            [InitializerKind.XavierUniform, InitializerKind.HeNormal, InitializerKind.XavierNormal],
            model.Layers.Select(layer => layer.Init));
        Assert.Equal(InitializerKind.HeUniform, model.OutputInit);
        Assert.Equal(LossKind.MeanSquaredError, model.Loss);
    }

    [Fact]
    public void Reader_should_accept_every_way_hocon_spells_true_and_false()
    {
        using var file = new TempConfig("backprop.training { init-from = m.bpm, replace-output = yes, early-stopping.restore-best = off }");

        var training = SettingsReader.Load(file.Path, [new("backprop.training.replace-output", "on")]).Training;

        Assert.True(training.ReplaceOutput);
        Assert.False(training.EarlyStopping.RestoreBest);
    }

    [Fact]
    public void Reader_should_take_an_override_that_is_not_one_hocon_value_as_text()
    {
        var settings = SettingsReader.Load(
            null, [new("backprop.data.path", "builtin:diabetes"), new("backprop.data.test-path", "/data/a b#c.csv")]);

        Assert.Equal("builtin:diabetes", settings.Data.Path);
        Assert.Equal("/data/a b#c.csv", settings.Data.TestPath);
    }

    [Fact]
    public void Reader_should_read_quoted_override_text_unchanged()
    {
        string path = "C:\\data\\\"odd\" name.csv";

        var settings = SettingsReader.Load(null, [new("backprop.data.path", SettingsWriter.Quote(path))]);

        Assert.Equal(path, settings.Data.Path);
    }

    [Fact]
    public void Reader_should_read_a_list_of_layers_from_an_override()
    {
        var settings = SettingsReader.Load(null, [new("backprop.model.layers", "[{ units = 64 }, { units = 32, activation = tanh }]")]);

        Assert.Equal(
            [new LayerSettings { Units = 64 }, new LayerSettings { Units = 32, Activation = Activation.Tanh }],
            settings.Model.Layers);
    }

    [Fact]
    public void Reader_should_read_a_section_from_an_override_and_merge_it_with_the_file()
    {
        using var file = new TempConfig("backprop.training.epochs = 3");

        var training = SettingsReader.Load(file.Path, [new("backprop.training", "{ batch-size = 8 }")]).Training;

        Assert.Equal(3, training.Epochs);
        Assert.Equal(8, training.BatchSize);
    }

    [Fact]
    public void Reader_should_leave_sections_outside_backprop_alone()
    {
        using var file = new TempConfig("""
            akka {
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
              anything-at-all = [1, 2, 3]
            }
            backprop.training.epochs = 2
            """);

        var config = SettingsReader.LoadConfig(file.Path, NoOverrides);

        Assert.Equal(2, SettingsReader.Read(config).Training.Epochs);
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal(0, config.GetInt("akka.remote.dot-netty.tcp.port"));
    }

    [Fact]
    public void Reader_should_accept_the_hocon_an_akka_section_is_written_in()
    {
        using var file = new TempConfig("""
            akka {
              loglevel = INFO
              actor {
                provider = cluster
                serializers { backprop = "Backprop.Cluster.Wire.BackpropSerializer, Backprop.Cluster" }
                serialization-bindings { "Backprop.Cluster.Wire.IWireMessage, Backprop.Cluster" = backprop }
              }
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = 4053 }
              cluster {
                seed-nodes = ["akka.tcp://backprop@127.0.0.1:4053"]   // quoted, as HOCON wants ':' in values
                roles = [worker, "parameter-server"]
                failure-detector : { heartbeat-interval : 1s }
              }
              log-config-on-start = off
              shutdown-timeout = ${akka.cluster.failure-detector.heartbeat-interval}
              description = two words
            }
            """);

        var config = SettingsReader.LoadConfig(file.Path, NoOverrides);

        Assert.Equal(["worker", "parameter-server"], config.GetStringList("akka.cluster.roles"));
        Assert.Equal("akka.tcp://backprop@127.0.0.1:4053", Assert.Single(config.GetStringList("akka.cluster.seed-nodes")));
        Assert.Equal(TimeSpan.FromSeconds(1), config.GetTimeSpan("akka.shutdown-timeout"));
    }

    [Fact]
    public void Reader_should_read_a_file_written_as_json()
    {
        using var file = new TempConfig("""
            {
              "backprop": {
                "training": { "epochs": 4, "batch-size": 16 },
                "model": { "layers": [ { "units": 8, "activation": "tanh" } ] }
              }
            }
            """);

        var settings = SettingsReader.Load(file.Path, NoOverrides);

        Assert.Equal(4, settings.Training.Epochs);
        Assert.Equal(16, settings.Training.BatchSize);
        Assert.Equal(new LayerSettings { Units = 8, Activation = Activation.Tanh }, Assert.Single(settings.Model.Layers));
    }

    [Fact]
    public void Reader_should_leave_the_cluster_section_to_the_cluster()
    {
        using var file = new TempConfig("backprop.cluster { seed-nodes = [\"akka.tcp://backprop@10.0.0.1:4053\"], whatever = 1 }");

        SettingsAssert.Equal(new BackpropSettings(), SettingsReader.Load(file.Path, NoOverrides));
    }

    [Fact]
    public void Reader_should_read_substitutions_within_a_file()
    {
        using var file = new TempConfig("""
            rate = 0.01
            small-layers = [{ units = 5, activation = tanh }]
            backprop.optimizer { name = adam, learning-rate = ${rate} }
            backprop.schedule.min-learning-rate = ${backprop.optimizer.learning-rate}
            backprop.model.layers = ${small-layers}
            """);

        var settings = SettingsReader.Load(file.Path, NoOverrides);

        Assert.Equal(0.01, settings.Optimizer.LearningRate);
        Assert.Equal(0.01, settings.Schedule.MinLearningRate);
        Assert.Equal(new LayerSettings { Units = 5, Activation = Activation.Tanh }, Assert.Single(settings.Model.Layers));
    }

    [Fact]
    public void Reader_should_read_an_included_file_from_the_including_files_folder()
    {
        using var file = new TempConfig("""
            include "base.conf"
            backprop.training.epochs = 4
            """);
        file.Write("base.conf", "backprop.training { epochs = 2, batch-size = 32 }");

        var training = SettingsReader.Load(file.Path, NoOverrides).Training;

        Assert.Equal(4, training.Epochs);
        Assert.Equal(32, training.BatchSize);
    }

    [Fact]
    public void Reader_should_read_stored_text_over_the_defaults()
    {
        var settings = SettingsReader.LoadText("backprop.data { path = \"builtin:diabetes\", task = regression }", "config.conf");

        Assert.Equal("builtin:diabetes", settings.Data.Path);
        Assert.Equal(TaskKind.Regression, settings.Data.Task);
        Assert.Equal(new TrainingSettings().Epochs, settings.Training.Epochs);
    }
}
