using System.Text.Json;

namespace Backprop.Cli.Tests.Commands;

/// <summary><c>backprop info</c>: everything about a model in one place, as tables or one JSON object.</summary>
public sealed class InfoCommandTests(TrainedModels runs) : IClassFixture<TrainedModels>, IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Info_json_should_give_architecture_parameters_transform_classes_config_metrics_and_format_version()
    {
        var (code, output, error) = CliRunner.Run("info", "--model", runs.Classifier, "--json");

        Assert.True(code == 0, error);
        var info = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1, info.GetProperty("format_version").GetInt32());
        Assert.Equal("784-256-128-10 relu SoftmaxCrossEntropy", info.GetProperty("architecture").GetString());
        Assert.Equal((784 * 256) + 256 + (256 * 128) + 128 + (128 * 10) + 10, info.GetProperty("parameters").GetInt32());
        Assert.Equal(["hidden", "hidden", "output"], info.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("role").GetString()));
        Assert.Equal(10, info.GetProperty("classes").GetArrayLength());
        Assert.Equal("T-shirt/top", info.GetProperty("classes")[0].GetString());
        Assert.Equal("Divide255", info.GetProperty("data_transform").GetProperty("kind").GetString());
        Assert.Equal(784, info.GetProperty("data_transform").GetProperty("scale").GetArrayLength());
        Assert.Contains("fashion-mnist-small", info.GetProperty("config").GetString(), StringComparison.Ordinal);
        Assert.InRange(info.GetProperty("run_summary").GetProperty("test_accuracy").GetDouble(), 0.3, 1);
    }

    [Fact]
    public void Info_should_name_each_activation_as_the_configuration_spells_it()
    {
        string config = _temp.Write("activations.conf", """
            backprop {
              data.path = "builtin:fashion-mnist-small"
              model.layers = [
                { units = 8, activation = gelu-erf }
                { units = 8, activation = leaky-relu, slope = 0.2 }
              ]
              training.epochs = 1
            }
            """);
        string run = _temp.File("activations-run");
        var (trained, _, trainError) = CliRunner.Run("train", "--config", config, "--run-dir", run, "--no-progress");
        Assert.True(trained == 0, trainError);

        var (code, output, error) = CliRunner.Run("info", "--model", run, "--json");

        Assert.True(code == 0, error);
        var layers = JsonDocument.Parse(output).RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal("gelu-erf", layers[0].GetProperty("activation").GetString());
        Assert.Equal("leaky-relu", layers[1].GetProperty("activation").GetString());
        Assert.Equal(0.2, layers[1].GetProperty("slope").GetDouble(), 6);
        var (tableCode, table, tableError) = CliRunner.Run("info", "--model", run);
        Assert.True(tableCode == 0, tableError);
        Assert.Contains("gelu-erf", table, StringComparison.Ordinal);
        Assert.Contains("leaky-relu (slope 0.2)", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_should_show_the_regression_transform_and_metrics_as_tables()
    {
        var (code, output, error) = CliRunner.Run("info", "--model", runs.Regression);

        Assert.True(code == 0, error);
        Assert.Contains("file format version", output, StringComparison.Ordinal);
        Assert.Contains("10-256-128-1 relu MeanSquaredError", output, StringComparison.Ordinal);
        Assert.Contains("standardize: (x - mean) / deviation", output, StringComparison.Ordinal);
        Assert.Contains("test r2", output, StringComparison.Ordinal);
        Assert.Contains("training configuration", output, StringComparison.Ordinal);
        Assert.DoesNotContain("│ classes", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_file_outside_a_run_folder_should_show_everything_but_the_metrics()
    {
        string alone = _temp.File("model.bpm");
        File.Copy(Path.Combine(runs.Regression, "model.bpm"), alone);

        var (code, output, error) = CliRunner.Run("info", "--model", alone, "--json");

        Assert.True(code == 0, error);
        var info = JsonDocument.Parse(output).RootElement;
        Assert.False(info.TryGetProperty("run_summary", out _));
        Assert.Equal("regression", info.GetProperty("task").GetString());
    }

    [Fact]
    public void A_model_file_from_a_newer_format_version_should_be_refused_with_an_upgrade_message()
    {
        // Format version 1 is the only one so far, so there are no older files to keep loading; what must hold
        // is that a newer one is refused plainly. The version is the u16 after the 4-byte magic.
        string newer = _temp.File("newer.bpm");
        byte[] bytes = File.ReadAllBytes(Path.Combine(runs.Regression, "model.bpm"));
        Assert.Equal([1, 0], bytes[4..6]);
        bytes[4] = 2;
        File.WriteAllBytes(newer, bytes);

        var (code, _, error) = CliRunner.Run("info", "--model", newer);

        Assert.Equal(1, code);
        Assert.Contains("newer.bpm", error, StringComparison.Ordinal);
        Assert.Contains("format version is 2", error, StringComparison.Ordinal);
        Assert.Contains("Upgrade backprop", error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
