namespace Backprop.Cli.Tests.Commands;

/// <summary><c>backprop data convert</c> from the command line: its report, its refusals, and training on what it wrote.</summary>
public sealed class DataCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Convert_should_write_both_splits_and_train_should_read_them()
    {
        string bpd = _temp.File("fashion.bpd");

        var (code, output, error) = CliRunner.Run("data", "convert", "--input", "builtin:fashion-mnist-small", "--output", bpd);

        Assert.True(code == 0, error);
        Assert.Contains($"{bpd}: 4000 rows × 784 features, 10 classes", output, StringComparison.Ordinal);
        Assert.Contains($"{_temp.File("fashion.test.bpd")}: 1000 rows × 784 features, 10 classes", output, StringComparison.Ordinal);

        (code, _, error) = CliRunner.Run("train", "--data", bpd, "--epochs", "1", "--run-dir", _temp.File("run"));

        Assert.True(code == 0, error);
        Assert.True(File.Exists(_temp.File(Path.Combine("run", "model.bpm"))));
    }

    [Fact]
    public void Convert_should_refuse_to_overwrite_without_force()
    {
        string bpd = _temp.Write("d.bpd", "old");

        var (code, _, error) = CliRunner.Run("data", "convert", "--input", "builtin:diabetes", "--output", bpd);

        Assert.Equal(2, code);
        Assert.Contains($"{bpd} already exists; not replacing it. Pass --force to replace it.", error, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(bpd));

        (code, _, error) = CliRunner.Run("data", "convert", "--input", "builtin:diabetes", "--output", bpd, "--force");

        Assert.True(code == 0, error);
    }

    [Fact]
    public void Convert_should_pass_on_the_readers_message_for_malformed_input()
    {
        string csv = _temp.Write("bad.csv", "a,b,label\n1,2,x\n3,oops,y\n");

        var (code, _, error) = CliRunner.Run("data", "convert", "--input", csv, "--output", _temp.File("bad.bpd"));

        Assert.Equal(1, code);
        Assert.StartsWith($"error: data: {csv}, line 3", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("bad.bpd")));
    }

    [Fact]
    public void Train_should_refuse_a_truncated_bpd_naming_the_file()
    {
        string bpd = _temp.File("d.bpd");
        Assert.Equal(0, CliRunner.Run("data", "convert", "--input", "builtin:diabetes", "--output", bpd).ExitCode);
        var bytes = File.ReadAllBytes(bpd);
        File.WriteAllBytes(bpd, bytes[..^10]);

        var (code, _, error) = CliRunner.Run("train", "--data", bpd, "--epochs", "1", "--run-dir", _temp.File("run"));

        Assert.Equal(1, code);
        Assert.Contains($"error: data: {bpd}: the file is truncated", error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
