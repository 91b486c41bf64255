using System.Text.Json;

namespace Backprop.Cli.Tests.Commands;

public sealed class BenchCommandTests
{
    private static readonly string[] Forms = ["AB", "ABt", "AtB"];
    private static readonly int[] ThreadCounts = [1, 2];

    [Fact]
    public void Bench_kernels_json_should_print_one_document_with_the_peak_and_every_row()
    {
        var (exitCode, output, error) = CliRunner.Run("bench", "kernels", "--quick", "--json", "--threads", "2");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        double peak1 = root.GetProperty("peak_gflops_1t").GetDouble();
        double peakAll = root.GetProperty("peak_gflops_all").GetDouble();
        Assert.InRange(peak1, 0.1, 1e5);
        Assert.InRange(peakAll, 0.1, 1e6);
        Assert.Equal(2, root.GetProperty("threads_all").GetInt32());

        var rows = root.GetProperty("gemm").EnumerateArray().ToList();
        Assert.Equal(8, rows.Count);
        foreach (var row in rows)
        {
            Assert.Contains(row.GetProperty("form").GetString(), Forms);
            Assert.True(row.GetProperty("m").GetInt32() > 0);
            Assert.True(row.GetProperty("n").GetInt32() > 0);
            Assert.True(row.GetProperty("k").GetInt32() > 0);
            int threads = row.GetProperty("threads").GetInt32();
            Assert.Contains(threads, ThreadCounts);
            double gflops = row.GetProperty("gflops").GetDouble();
            double fraction = row.GetProperty("fraction_of_peak").GetDouble();
            Assert.True(gflops > 0);
            Assert.Equal(gflops / (threads == 1 ? peak1 : peakAll), fraction, 6);
        }
    }

    [Fact]
    public void Bench_kernels_should_print_a_table_without_json()
    {
        var (exitCode, output, error) = CliRunner.Run("bench", "kernels", "--quick", "--threads", "1");

        Assert.True(exitCode == 0, error);
        Assert.Contains("FMA peak", output, StringComparison.Ordinal);
        Assert.Contains("GFLOP/s", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_lane_json_should_report_every_size_with_the_time_and_bandwidth_agreeing()
    {
        var (exitCode, output, error) = CliRunner.Run("bench", "lane", "--json", "--round-trips", "10");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        var rows = root.GetProperty("round_trips").EnumerateArray().ToList();
        Assert.Equal([262_144, 524_288, 940_584, 2_097_152, 4_194_304], rows.Select(r => r.GetProperty("bytes").GetInt32()));
        foreach (var row in rows)
        {
            double median = row.GetProperty("median_micros").GetDouble();
            Assert.True(median > 0);
            Assert.True(row.GetProperty("p99_micros").GetDouble() >= median);
            double expected = 2.0 * row.GetProperty("bytes").GetInt32() / (median * 1e-6) / 1e9;
            Assert.Equal(expected, row.GetProperty("gigabytes_per_second").GetDouble(), 6);
        }

        Assert.True(root.GetProperty("stream_gigabytes_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("allocated_bytes_per_round_trip").GetDouble() >= 0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void Bench_kernels_should_refuse_a_thread_count_below_one(string threads)
    {
        var (exitCode, _, error) = CliRunner.Run("bench", "kernels", "--threads", threads);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--threads must be at least 1", error, StringComparison.Ordinal);
    }
}
