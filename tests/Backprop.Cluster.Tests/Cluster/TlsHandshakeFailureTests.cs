using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Security;
using Backprop.Cluster.Settings;

namespace Backprop.Cluster.Tests.Cluster;

/// <summary>
/// A worker whose certificates come from another CA than the coordinator's, over real loopback
/// remoting: Akka shuts a node down when a TLS handshake it started fails, and the worker must not
/// answer that by starting fresh nodes forever.
/// </summary>
public sealed class TlsHandshakeFailureTests : IDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(3);
    private readonly string _root = Directory.CreateTempSubdirectory("backprop-tls-").FullName;

    [Fact]
    public async Task A_worker_of_another_ca_gives_up_after_the_join_timeout_and_the_coordinator_stays()
    {
        var ours = Certificates("ours");
        var theirs = Certificates("theirs");
        using var job = new JobFixture(epochs: 1);
        using var stop = new CancellationTokenSource();
        var address = new TaskCompletionSource<Address>(TaskCreationOptions.RunContinuationsAsynchronously);
        var coordinator = ClusterRun.CoordinateAsync(
            job.Options, new ClusterSettings { MinWorkers = 1, Tls = ours["coordinator"] }, new NodeOptions("coordinator"), null, null, a => address.TrySetResult(a), stop.Token);
        var at = await address.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var lines = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var failure = await ClusterRun.WorkAsync(
            new NodeOptions("worker", Join: $"{at.Host}:{at.Port}"), 1, new ClusterSettings { JoinTimeout = JoinTimeout, Tls = theirs["worker"] }, lines.Enqueue, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();

        Assert.NotNull(failure);
        Assert.Contains("TLS handshake", failure, StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= JoinTimeout, $"gave up after {clock.Elapsed}");

        // One fresh node about every second (each handshake fails at once, then the pause), not as fast as they fail.
        int attempts = lines.Count(l => l.Contains("trying again with a fresh node", StringComparison.Ordinal));
        Assert.InRange(attempts, 1, (int)(clock.Elapsed.TotalSeconds + 1));

        // The coordinator refused the worker and is still waiting for one.
        Assert.False(coordinator.IsCompleted, "the coordinator stopped");
        await stop.CancelAsync();
        var summary = await coordinator.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, summary.Workers);
        Assert.Contains("before the job started", summary.Failure, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A CA of its own and a certificate for a coordinator and a worker, as PEM files; the TLS settings of each node.</summary>
    private Dictionary<string, TlsSettings> Certificates(string cluster)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, cluster)).FullName;
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        var until = DateTimeOffset.UtcNow.AddDays(1);
        using var authority = CertificateAuthority.Create($"{cluster} CA", from, until);
        string ca = Path.Combine(folder, "ca.crt");
        authority.Save(ca, Path.Combine(folder, "ca.key"));
        var nodes = new Dictionary<string, TlsSettings>(StringComparer.Ordinal);
        foreach (string node in new[] { "coordinator", "worker" })
        {
            using var issued = authority.Issue(node, [], from, until);
            string certificate = Path.Combine(folder, $"{node}.crt"), key = Path.Combine(folder, $"{node}.key");
            CertificateAuthority.SaveNode(issued, certificate, key);
            nodes[node] = new TlsSettings { Enabled = true, Ca = ca, Certificate = certificate, Key = key };
        }

        return nodes;
    }
}
