namespace Backprop.Cluster.Hosting;

/// <summary>How one cluster node binds and whom it joins.</summary>
/// <param name="Role">"coordinator" or "worker".</param>
/// <param name="Host">The interface to bind (127.0.0.1 for loopback, 0.0.0.0 for all).</param>
/// <param name="Port">The port; 0 for any free one.</param>
/// <param name="PublicHost">The name other nodes reach this one by, when it differs from <paramref name="Host"/>.</param>
/// <param name="Join">The coordinator to join as "host:port"; null for the coordinator itself, which founds the cluster.</param>
/// <param name="DownAfter">How long an unreachable node waits before the split-brain resolver downs it.</param>
/// <param name="ExtraHocon">More Akka configuration (the user's <c>akka</c> section), applied first.</param>
/// <param name="Tls">Mutual TLS on every connection; null for plain TCP.</param>
/// <param name="LogLevel">Akka's own log level (DEBUG, INFO, WARNING, ERROR, OFF).</param>
public sealed record NodeOptions(
    string Role,
    string Host = "127.0.0.1",
    int Port = 0,
    string? PublicHost = null,
    string? Join = null,
    TimeSpan? DownAfter = null,
    string? ExtraHocon = null,
    Security.ClusterTls? Tls = null,
    string LogLevel = "WARNING");
