using System.Net;
using Backprop.Nn.Settings;
using Prometheus;

namespace Backprop.Cli.Metrics;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format on <c>--metrics-port</c>, served by prometheus-net's
/// HttpListener server from a registry of this run's own (never the static default one, so that two
/// runs in one process, as in the tests, do not see each other's metrics).
/// </summary>
internal sealed class PrometheusEndpoint : IDisposable
{
    private readonly MetricServer _server;

    private PrometheusEndpoint(RunMetricCollectors metrics, MetricServer server)
    {
        Metrics = metrics;
        _server = server;
    }

    /// <summary>The run's series, all of them in the registry from the first scrape on.</summary>
    public RunMetricCollectors Metrics { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; private init; }

    /// <summary>Starts listening on every interface at <paramref name="port"/>.</summary>
    /// <param name="port">The port (1 to 65535).</param>
    /// <param name="flag">The flag that named the port, for the error.</param>
    /// <returns>The running endpoint.</returns>
    /// <exception cref="InvalidSettingException">The port cannot be listened on (taken, or not allowed).</exception>
    public static PrometheusEndpoint Start(int port, string flag)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new RunMetricCollectors(registry);

        // "+": every interface, since a Prometheus server scrapes the coordinator from another machine.
        var server = new MetricServer(hostname: "+", port: port, url: "metrics/", registry: registry);
        try
        {
            server.Start();
        }
        catch (HttpListenerException e)
        {
            server.Dispose();
            throw new InvalidSettingException(flag, $"cannot serve /metrics on port {port}: {e.Message}. Is another process listening on it? Choose another port, or 0 for no metrics endpoint.");
        }

        return new PrometheusEndpoint(metrics, server) { Port = port };
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _server.Dispose();
}
