using System.Text.Json;

namespace Backprop.Cli.Tests.Commands;

/// <summary>The exchange options as flags: they reach the cluster, and a bad value is refused with its key.</summary>
public sealed class ExchangeFlagsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Flags_should_set_the_exchange_of_a_cluster_run_and_the_summary_should_report_the_mode()
    {
        string folder = _temp.File("staleness");
        var (code, output, error) = CliRunner.Run(
            "train", "--workers", "2", "--epochs", "1", "--threads", "1", "--bucket-bytes", "100000", "--compression", "bf16", "--staleness", "1", "--json", "--no-progress", "--run-dir", folder);

        Assert.True(code == 0, error);
        using var summary = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = summary.RootElement;
        long steps = root.GetProperty("steps").GetInt64();

        // With staleness 1 every step but the epoch's first is computed on the weights one step old.
        Assert.Equal((steps - 1.0) / steps, root.GetProperty("mean_gradient_staleness").GetDouble(), 6);
        Assert.Contains("staleness = 1 with momentum 0.9", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_should_count_the_bytes_a_step_moves_and_bf16_should_halve_them()
    {
        (long Down, long Up) Bytes(string compression)
        {
            string folder = _temp.File(compression);
            var (code, output, error) = CliRunner.Run(
                "train", "--workers", "2", "--epochs", "1", "--threads", "1", "--bucket-bytes", "100000", "--compression", compression, "--json", "--no-progress", "--run-dir", folder);
            Assert.True(code == 0, error);
            using var summary = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            var bytes = summary.RootElement.GetProperty("wire_bytes_per_step");
            return (bytes.GetProperty("down").GetInt64(), bytes.GetProperty("up").GetInt64());
        }

        var float32 = Bytes("none");
        var bf16 = Bytes("bf16");

        // 235,146 parameters of the default model, to each of 2 workers and back, 4 bytes or 2 a value.
        Assert.Equal((2L * 235_146 * 4, 2L * 235_146 * 4), float32);
        Assert.Equal((float32.Down / 2, float32.Up / 2), bf16);
    }

    [Fact]
    public void A_bad_compression_should_be_refused_naming_the_key_before_anything_is_written()
    {
        string folder = _temp.File("refused");
        var (code, _, error) = CliRunner.Run("train", "--workers", "2", "--compression", "zip", "--run-dir", folder);

        Assert.NotEqual(0, code);
        Assert.Contains("backprop.cluster.exchange.compression: \"zip\" is not a compression; expected none, bf16, fp16 or top-k.", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    public void Dispose() => _temp.Dispose();
}
