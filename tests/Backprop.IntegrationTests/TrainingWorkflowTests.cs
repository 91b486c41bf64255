using System.Globalization;

namespace Backprop.IntegrationTests;

/// <summary>The whole workflow through the real command: train, evaluate, predict, on real data.</summary>
public sealed class TrainingWorkflowTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private readonly Workspace _workspace = new();

    [Fact]
    public void Train_with_no_flags_should_train_a_classifier_on_the_builtin_data_into_a_run_folder()
    {
        var (code, stdout, stderr) = BackpropProcess.Run(_workspace.Path, Long, "train", "--json");

        Assert.True(code == 0, stderr);
        var summary = SummaryJson.LastLine(stdout);
        Assert.True(summary.GetProperty("test_accuracy").GetDouble() > 0.78, stdout);
        string runDir = Path.Combine(_workspace.Path, summary.GetProperty("run_dir").GetString()!);
        Assert.StartsWith(Path.Combine(_workspace.Path, "runs"), runDir, StringComparison.Ordinal);
        foreach (string file in new[] { "config.conf", "checkpoint.bpk", "model.bpm", "summary.json", "train.log" })
        {
            Assert.True(File.Exists(Path.Combine(runDir, file)), $"{file} missing from {runDir}");
        }

        Assert.Equal(10, summary.GetProperty("epochs").GetInt32());
        Assert.True(summary.GetProperty("train_samples_per_sec").GetDouble() > 0);
        Assert.True(summary.GetProperty("wall_seconds").GetDouble() > 0);
    }

    [Fact]
    public void Fashion_mnist_config_should_reach_88_percent_test_accuracy()
    {
        Assert.True(
            File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
            "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist (test.sh installs it).");

        var (code, stdout, stderr) = BackpropProcess.Run(
            _workspace.Path, Long, "train", "--config", Workspace.Config("fashion-mnist.conf"), "--json", "--run-dir", _workspace.File("fmnist"));

        Assert.True(code == 0, stderr);
        var summary = SummaryJson.LastLine(stdout);
        double accuracy = summary.GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy >= 0.88, $"test accuracy {accuracy:P2}\n{stderr}");
        Assert.Equal(60000, summary.GetProperty("train_samples").GetInt32());
        Assert.Equal(10000, summary.GetProperty("test_samples").GetInt32());
    }

    [Fact]
    public void Diabetes_config_should_beat_predicting_the_mean_by_a_clear_margin()
    {
        var (code, stdout, stderr) = BackpropProcess.Run(
            _workspace.Path, Long, "train", "--config", Workspace.Config("diabetes.conf"), "--json", "--run-dir", _workspace.File("diabetes"));

        Assert.True(code == 0, stderr);
        var summary = SummaryJson.LastLine(stdout);
        double mse = summary.GetProperty("test_mse").GetDouble();
        double baseline = summary.GetProperty("test_baseline_mse").GetDouble();
        Assert.True(mse < 0.75 * baseline, $"test MSE {mse} against {baseline} for predicting the mean\n{stderr}");
        Assert.True(summary.GetProperty("test_r2").GetDouble() > 0.25, stdout);
    }

    [Fact]
    public void A_csv_with_string_classes_should_train_evaluate_and_predict_with_no_configuration()
    {
        string iris = Path.Combine(AppContext.BaseDirectory, "TestData", "iris.csv");
        var (code, stdout, stderr) = BackpropProcess.Run(
            _workspace.Path, Long, "train", "--data", iris, "--epochs", "60", "--batch", "16", "--json", "--run-dir", _workspace.File("iris"));
        Assert.True(code == 0, stderr);
        Assert.True(SummaryJson.LastLine(stdout).GetProperty("test_accuracy").GetDouble() >= 0.9, stdout);

        var eval = BackpropProcess.Run(_workspace.Path, Long, "eval", "--model", _workspace.File("iris"), "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var metrics = SummaryJson.LastLine(eval.Stdout);
        Assert.Equal(30, metrics.GetProperty("samples").GetInt32());
        Assert.Equal(["setosa", "versicolor", "virginica"], metrics.GetProperty("per_class").EnumerateArray().Select(c => c.GetProperty("class").GetString()));

        var predict = BackpropProcess.Run(_workspace.Path, Long, "predict", "--model", _workspace.File("iris"), "--input", iris);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var lines = predict.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,predicted,p_setosa,p_versicolor,p_virginica", lines[0]);
        Assert.Equal(151, lines.Length);
        Assert.StartsWith("0,setosa,", lines[1], StringComparison.Ordinal);
        int right = lines.Skip(1).Select((line, i) => line.Split(',')[1] == (i < 50 ? "setosa" : i < 100 ? "versicolor" : "virginica")).Count(ok => ok);
        Assert.True(right >= 135, $"{right} of 150 predicted right");
    }

    [Fact]
    public void Sigterm_should_checkpoint_and_exit_and_resume_should_finish_the_run()
    {
        string runDir = _workspace.File("interrupted");
        using (var process = BackpropProcess.Start(_workspace.Path, "train", "--epochs", "200", "--no-progress", "--run-dir", runDir))
        {
            WaitFor(() => process.Stdout.Contains("epoch 2/200", StringComparison.Ordinal), process);
            process.Signal(15);
            int code = process.WaitForExit(Long);
            Assert.True(code == 143, $"exit {code}\n{process.Stdout}\n{process.Stderr}");
            Assert.Contains("resume with: backprop train --resume", process.Stdout, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(runDir, "checkpoint.bpk")));
        Assert.False(File.Exists(Path.Combine(runDir, "model.bpm")));
        var (resumed, stdout, stderr) = BackpropProcess.Run(_workspace.Path, Long, "train", "--resume", "--run-dir", runDir, "--epochs", "4", "--json");
        Assert.True(resumed == 0, stderr);
        Assert.Contains("resumed from", stderr, StringComparison.Ordinal);
        Assert.Equal(4, SummaryJson.LastLine(stdout).GetProperty("epochs").GetInt32());
    }

    public void Dispose() => _workspace.Dispose();

    internal static void WaitFor(Func<bool> condition, BackpropProcess process)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            if (process.HasExited)
            {
                // Its last lines may still be on their way: waiting for the exit drains them.
                int code = process.WaitForExit(Long);
                Assert.True(condition(), $"the process exited ({code}) before what was waited for\n{process.Stdout}\n{process.Stderr}");
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting\n{process.Stdout}\n{process.Stderr}");
            }

            Thread.Sleep(20);
        }
    }

    internal static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
