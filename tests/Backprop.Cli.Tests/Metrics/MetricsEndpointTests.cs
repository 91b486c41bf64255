using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Backprop.Cli.Tests.Metrics;

/// <summary><c>--metrics-port</c>: /metrics scraped over HTTP while a run trains, and a taken port refused.</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task A_cluster_run_should_serve_metrics_that_parse_and_move_while_it_trains()
    {
        int port = FreePort();
        string runDirectory = _temp.File("run");
        var run = Task.Run(() => CliRunner.Run("train", "--workers", "2", "--epochs", "3", "--batch", "64", "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--no-progress", "--threads", "1", "--run-dir", runDirectory));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var scrapes = new List<Dictionary<string, double>>();
        while (!run.IsCompleted)
        {
            try
            {
                // While the listener starts or stops it may answer with an error page or an empty body
                // (a scrape cut short as the run ends): only an exposition counts.
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/plain")
                {
                    var scrape = Parse(await response.Content.ReadAsStringAsync());
                    if (scrape.Count > 0)
                    {
                        scrapes.Add(scrape);
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet, or no longer.
            }

            await Task.Delay(25);
        }

        var (code, _, error) = await run;
        Assert.True(code == 0, $"train exited {code}: {error}");
        Assert.NotEmpty(scrapes);
        var steps = scrapes.Select(s => Value(s, "backprop_step")).Where(v => !double.IsNaN(v)).ToList();
        Assert.True(steps.Max() > 0, "backprop_step never moved above 0");
        Assert.True(steps.Distinct().Count() >= 2, $"backprop_step did not move: {string.Join(", ", steps)}");
        // A scrape early in the run may come before a series has its first value: look for one that has them.
        Assert.Contains(scrapes, s => Value(s, "backprop_workers") == 2 && s.Keys.Any(k => k.StartsWith("backprop_worker_steps{rank=\"1\"", StringComparison.Ordinal)));
        Assert.Contains(scrapes, s => Value(s, "backprop_train_loss") > 0 && Value(s, "backprop_learning_rate") > 0 && Value(s, "backprop_step_seconds_count") > 0);
        Assert.All(scrapes, s => Assert.True(s.ContainsKey("backprop_short_handed_steps_total")));
    }

    [Fact]
    public void A_port_already_taken_should_be_refused_naming_the_port_and_the_flag()
    {
        var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            string runDirectory = _temp.File("refused");
            var (code, _, error) = CliRunner.Run("train", "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--no-progress", "--run-dir", runDirectory);

            Assert.Equal(2, code);
            Assert.Contains("--metrics-port", error, StringComparison.Ordinal);
            Assert.Contains($"port {port}", error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(runDirectory));
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public void A_port_out_of_range_should_be_refused_before_anything_is_written()
    {
        var (code, _, error) = CliRunner.Run("train", "--metrics-port", "70000", "--run-dir", _temp.File("out-of-range"));
        Assert.NotEqual(0, code);
        Assert.Contains("--metrics-port must be a port from 1 to 65535", error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static double Value(Dictionary<string, double> scrape, string name) => scrape.TryGetValue(name, out double value) ? value : double.NaN;

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The samples of a Prometheus text exposition: "name{labels} value" lines, comments skipped.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return samples;
    }
}
