namespace Backprop.Cli.Tests.Commands;

/// <summary>
/// <c>backprop export</c> from the command line. What the ONNX file computes is checked against ONNX Runtime in
/// Backprop.Onnx.Tests; here: the command's arguments, its report and its errors.
/// </summary>
public sealed class ExportCommandTests(TrainedModels runs) : IClassFixture<TrainedModels>, IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Export_of_a_run_folder_should_write_an_onnx_file_and_name_its_inputs_and_outputs()
    {
        string onnx = _temp.File("fashion.onnx");

        var (code, output, error) = CliRunner.Run("export", "--model", runs.Classifier, "--format", "onnx", "--output", onnx);

        Assert.True(code == 0, error);
        Assert.True(new FileInfo(onnx).Length > 900_000, "the weights of 235,146 parameters are missing");
        Assert.Contains("IR version 7, opset 13", output, StringComparison.Ordinal);
        Assert.Contains("'input': float32 [batch, 784]", output, StringComparison.Ordinal);
        Assert.Contains("'probabilities': float32 [batch, 10]", output, StringComparison.Ordinal);
        Assert.Contains("'class_index': int64 [batch]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_of_a_regression_model_file_should_name_the_prediction_output()
    {
        string onnx = _temp.File("diabetes.onnx");

        var (code, output, error) = CliRunner.Run("export", "--model", Path.Combine(runs.Regression, "model.bpm"), "--output", onnx);

        Assert.True(code == 0, error);
        Assert.True(File.Exists(onnx));
        Assert.Contains("'prediction': float32 [batch, 1]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_format_should_be_refused_with_the_known_ones()
    {
        var (code, _, error) = CliRunner.Run("export", "--model", runs.Classifier, "--format", "tflite", "--output", _temp.File("x"));

        Assert.NotEqual(0, code);
        Assert.Contains("tflite", error, StringComparison.Ordinal);
        Assert.Contains("onnx", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("x")));
    }

    [Fact]
    public void A_missing_model_should_be_named()
    {
        var (code, _, error) = CliRunner.Run("export", "--model", _temp.File("nothing-here"), "--output", _temp.File("x.onnx"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("nothing-here", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_folder_that_does_not_exist_should_be_reported_plainly()
    {
        var (code, _, error) = CliRunner.Run("export", "--model", runs.Classifier, "--output", Path.Combine(_temp.Path, "no", "such", "m.onnx"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
