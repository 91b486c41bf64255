namespace Backprop.Cli.Tests.Commands;

/// <summary><c>--quiet</c> and <c>--verbose</c>: what reaches the terminal, and what the run's log keeps.</summary>
public sealed class VerbosityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_quiet_run_should_print_only_its_result_and_keep_every_line_in_its_log()
    {
        string runDir = _folder.File("quiet");
        var (code, output, error) = CliRunner.Run("train", "--quiet", "--epochs", "1", "--batch", "256", "--threads", "1", "--run-dir", runDir);

        Assert.True(code == 0, error);
        Assert.DoesNotContain("run folder:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1/1", output, StringComparison.Ordinal);
        Assert.Contains("test accuracy", output, StringComparison.Ordinal);
        string log = File.ReadAllText(Path.Combine(runDir, "train.log"));
        Assert.Contains("run folder:", log, StringComparison.Ordinal);
        Assert.Contains("epoch 1/1", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quiet_run_with_json_should_print_only_the_json()
    {
        var (code, output, error) = CliRunner.Run("train", "-q", "--json", "--epochs", "1", "--batch", "256", "--threads", "1", "--run-dir", _folder.File("json"));

        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, error);
        Assert.StartsWith("{", output.Trim(), StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
    }

    [Fact]
    public void Quiet_and_verbose_together_should_be_refused()
    {
        var (code, _, error) = CliRunner.Run("train", "--quiet", "--verbose", "--epochs", "1", "--run-dir", _folder.File("both"));

        Assert.Equal(2, code);
        Assert.Contains("--quiet", error, StringComparison.Ordinal);
        Assert.Contains("--verbose", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_version_should_be_printed()
    {
        var (code, output, _) = CliRunner.Run("--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    public void Dispose() => _folder.Dispose();
}
