using System.Text.Json;
using Xunit.Abstractions;

namespace Backprop.DeployTests;

/// <summary>
/// The scaling benchmark (<c>tests/Backprop.Benchmarks/Scaling/scaling.sh</c>) at its smallest: one and
/// two workers on loopback, the default model, two short epochs. Its figures are not checked, only
/// that it trains each point, prints a table row for each and writes the data file a cost model is
/// fitted to. In the deployment tier with the other scripts that start clusters of real processes.
/// </summary>
[Collection(DeployTierFactAttribute.Collection)]
public sealed class ScalingScriptTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Run = TimeSpan.FromMinutes(4);
    private readonly string _out = Directory.CreateTempSubdirectory("backprop-scaling-").FullName;

    [DeployTierFact]
    public void The_scaling_script_should_print_a_row_per_worker_count_and_write_the_data_file()
    {
        Assert.True(Shell.Run("sh", ["-c", "command -v python3"], TimeSpan.FromSeconds(30)).Code == 0, "scaling.sh reads its results with python3 (Debian package python3)");
        string table = Shell.Check(
            "bash",
            [RepositoryRoot.File("tests/Backprop.Benchmarks/Scaling/scaling.sh"), "--backprop", Path.Combine(AppContext.BaseDirectory, "backprop.dll"),
                "--workers", "1,2", "--net", "loopback", "--config", RepositoryRoot.File("configs/default.conf"), "--epochs", "2", "--out", _out],
            Run);
        output.WriteLine(table);

        var rows = table.Split('\n').Where(l => l.StartsWith("| base | loopback |", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("| base | loopback | 1 |", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("| base | loopback | 2 |", rows[1], StringComparison.Ordinal);

        var lines = File.ReadAllLines(Path.Combine(_out, "results.jsonl"));
        Assert.Equal(2, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            var row = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(i + 1, row.GetProperty("workers").GetInt32());
            Assert.True(row.GetProperty("completed").GetBoolean());
            Assert.True(row.GetProperty("samples_per_s").GetDouble() > 0);
            Assert.True(row.GetProperty("compute_ms").GetDouble() > 0);
            Assert.Equal("epochs 2..2", row.GetProperty("measured").GetString());
        }

        Assert.Equal(3, File.ReadAllLines(Path.Combine(_out, "results.csv")).Length);
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
