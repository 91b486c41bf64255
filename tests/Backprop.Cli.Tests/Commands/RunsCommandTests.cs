using System.Text.Json;
using Backprop.Nn.Jobs;

namespace Backprop.Cli.Tests.Commands;

/// <summary><c>backprop runs</c> and <c>runs compare</c> over real run folders.</summary>
[Collection(TrainedRuns.Collection)]
public sealed class RunsCommandTests(TrainedRuns runs) : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void The_table_should_list_every_run_with_its_settings_and_results()
    {
        var (code, output, error) = CliRunner.Run("runs", "--root", runs.Root);
        Assert.True(code == 0, error);
        foreach (string expected in new[] { "20250102-030405-local", "20250102-030500-cluster", "builtin:fashion-mnist-small", "784-256-128-10", "momentum (2 workers)", "0.02", "finished" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Json_should_sort_by_the_column_asked_for()
    {
        var byName = Rows("--sort", "-name");
        Assert.Equal(["20250102-030500-cluster", "20250102-030405-local"], byName.Select(r => r.GetProperty("name").GetString()));
        var byTime = Rows("--sort", "time");
        Assert.Equal(["20250102-030405-local", "20250102-030500-cluster"], byTime.Select(r => r.GetProperty("name").GetString()));
        var byLr = Rows("--sort", "lr");
        Assert.Equal([0.02, 0.05], byLr.Select(r => r.GetProperty("lr").GetDouble()));
        Assert.All(byLr, r =>
        {
            Assert.Equal("finished", r.GetProperty("state").GetString());
            Assert.Equal(2, r.GetProperty("epochs").GetInt32());
            Assert.InRange(r.GetProperty("test_accuracy").GetDouble(), 0.3, 1);
        });
    }

    [Fact]
    public void An_unknown_sort_column_should_list_the_known_ones()
    {
        var (code, _, error) = CliRunner.Run("runs", "--root", runs.Root, "--sort", "colour");
        Assert.Equal(2, code);
        Assert.Contains("'colour' is not a column", error, StringComparison.Ordinal);
        Assert.Contains("accuracy", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_root_should_be_named()
    {
        string root = _temp.File("nothing-here");
        var (code, _, error) = CliRunner.Run("runs", "--root", root);
        Assert.Equal(1, code);
        Assert.Contains(root + ": no such folder of runs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_a_summary_should_be_running_while_it_writes_and_interrupted_after()
    {
        string root = _temp.File("runs");
        string running = Copy(runs.Local, Path.Combine(root, "running"));
        string killed = Copy(runs.Local, Path.Combine(root, "killed"));
        File.Delete(Path.Combine(running, RunFiles.Summary));
        File.Delete(Path.Combine(killed, RunFiles.Summary));
        foreach (string file in Directory.GetFiles(killed))
        {
            File.SetLastWriteTime(file, DateTime.Now.AddHours(-1));
        }

        var (code, output, error) = CliRunner.Run("runs", "--root", root, "--json", "--sort", "name");
        Assert.True(code == 0, error);
        var states = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("state").GetString());
        Assert.Equal("interrupted", states["killed"]);
        Assert.Equal("running", states["running"]);
    }

    [Fact]
    public void Compare_should_show_the_settings_that_differ_and_both_results()
    {
        var (code, output, error) = CliRunner.Run("runs", "compare", "20250102-030405-local", runs.Cluster, "--root", runs.Root, "--json");
        Assert.True(code == 0, error);
        var comparison = JsonDocument.Parse(output).RootElement;
        var differences = comparison.GetProperty("differences").EnumerateArray().ToDictionary(d => d.GetProperty("key").GetString()!, d => (d.GetProperty("a").GetString(), d.GetProperty("b").GetString()));
        Assert.Equal(("0.05", "0.02"), differences["backprop.optimizer.learning-rate"]);
        Assert.DoesNotContain("backprop.training.epochs", differences.Keys);
        Assert.Equal(2, comparison.GetProperty("b").GetProperty("workers").GetInt32());

        var (tableCode, table, _) = CliRunner.Run("runs", "compare", runs.Local, runs.Cluster);
        Assert.Equal(0, tableCode);
        Assert.Contains("backprop.optimizer.learning-rate", table, StringComparison.Ordinal);
        Assert.Contains("test accuracy", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_should_name_a_run_that_does_not_exist()
    {
        var (code, _, error) = CliRunner.Run("runs", "compare", "nope", runs.Local, "--root", runs.Root);
        Assert.Equal(1, code);
        Assert.Contains("nope: no such run folder", error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static string Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        return to;
    }

    private List<JsonElement> Rows(params string[] sort)
    {
        var (code, output, error) = CliRunner.Run(["runs", "--root", runs.Root, "--json", .. sort]);
        Assert.True(code == 0, error);
        return [.. JsonDocument.Parse(output).RootElement.EnumerateArray()];
    }
}
