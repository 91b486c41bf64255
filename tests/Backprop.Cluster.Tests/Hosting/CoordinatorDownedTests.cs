using Akka.Actor;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;

namespace Backprop.Cluster.Tests.Hosting;

/// <summary>A coordinator whose node the cluster downs stops with an error instead of waiting for ever for its job.</summary>
public sealed class CoordinatorDownedTests : IDisposable
{
    private readonly JobFixture _job = new();

    [Fact]
    public async Task A_coordinator_whose_node_is_downed_should_stop_with_the_resume_command()
    {
        var listening = new TaskCompletionSource<Address>(TaskCreationOptions.RunContinuationsAsynchronously);
        var coordinating = ClusterRun.CoordinateAsync(
            _job.Options, new ClusterSettings { MinWorkers = 1 }, new NodeOptions("coordinator"), null, null, a => listening.TrySetResult(a), CancellationToken.None);
        var coordinator = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Another member downs it, as a resolver's decision elsewhere in the cluster would.
        await using var other = await ClusterNode.StartAsync(new NodeOptions("worker", Join: $"{coordinator.Host}:{coordinator.Port}"), _ => { });
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(other.System).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Akka.Cluster.Cluster.Get(other.System).Down(coordinator);

        var error = await Assert.ThrowsAsync<CoordinatorDownedException>(() => coordinating.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"--resume --run-dir {_job.RunDirectory}", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _job.Dispose();
}
