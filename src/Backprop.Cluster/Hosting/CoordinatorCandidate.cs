using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Settings;
using Backprop.Nn.Jobs;
using Backprop.Nn.Training;

namespace Backprop.Cluster.Hosting;

/// <summary>
/// A coordinator node of a cluster with standby coordinators. Every one runs the coordinator as a
/// cluster singleton (<see cref="CoordinatorSeat"/>, on the oldest coordinator node), a proxy to it
/// at /user/coordinator where workers register, and a <see cref="CoordinatorStandby"/> that hears
/// when the job ended elsewhere. The node that holds the singleton runs the job from the shared run
/// folder's latest checkpoint.
/// </summary>
public sealed class CoordinatorCandidate : IAsyncDisposable
{
    private readonly ClusterNode _node;
    private readonly NodeOptions _options;
    private readonly Security.ClusterTls? _tls;
    private readonly TaskCompletionSource<IActorRef> _seat;
    private readonly TaskCompletionSource<(bool Completed, Address Where)> _ended;
    private bool _disposed;

    private CoordinatorCandidate(ClusterNode node, NodeOptions options, Security.ClusterTls? tls, TaskCompletionSource<IActorRef> seat, TaskCompletionSource<(bool, Address)> ended)
    {
        _node = node;
        _options = options;
        _tls = tls;
        _seat = seat;
        _ended = ended;
    }

    /// <summary>How waiting for the job ended.</summary>
    public enum Outcome
    {
        /// <summary>This node holds the singleton: run the job with <see cref="RunAsync"/>.</summary>
        Elected,

        /// <summary>The active coordinator finished the job.</summary>
        JobCompleted,

        /// <summary>The active coordinator ended the job as failed.</summary>
        JobFailed,

        /// <summary>The cluster downed and removed this node while it stood by.</summary>
        Removed,

        /// <summary>Cancelled.</summary>
        Interrupted,
    }

    /// <summary>This node's address.</summary>
    public Address Address => _node.Address;

    /// <summary>Where the job ended, after <see cref="Outcome.JobCompleted"/> or <see cref="Outcome.JobFailed"/>.</summary>
    public Address? EndedAt => _ended.Task.IsCompletedSuccessfully ? _ended.Task.Result.Where : null;

    /// <summary>Starts a coordinator node that joins the coordinators in <see cref="NodeOptions.Join"/>.</summary>
    /// <param name="node">How it binds; <see cref="NodeOptions.Join"/> lists every coordinator, this one included.</param>
    /// <param name="cluster">The cluster settings.</param>
    /// <returns>The running node.</returns>
    public static async Task<CoordinatorCandidate> StartAsync(NodeOptions node, ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(cluster);
        var tls = Security.ClusterTls.From(cluster.Tls);
        var seat = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource<(bool, Address)>(TaskCreationOptions.RunContinuationsAsynchronously);
        node = node with { Role = "coordinator", DownAfter = cluster.DownAfter, Tls = tls, LogLevel = cluster.AkkaLogLevel };
        try
        {
            var started = await ClusterNode.StartAsync(node, system =>
            {
                system.ActorOf(CoordinatorStandby.Props((completed, where) => ended.TrySetResult((completed, where))), CoordinatorStandby.Name);
                system.ActorOf(
                    ClusterSingletonManager.Props(
                        CoordinatorSeat.Props(self => seat.TrySetResult(self)),
                        PoisonPill.Instance,
                        ClusterSingletonManagerSettings.Create(system).WithRole("coordinator").WithSingletonName(CoordinatorSeat.SingletonName)),
                    CoordinatorSeat.ManagerName);
                system.ActorOf(
                    ClusterSingletonProxy.Props(
                        $"/user/{CoordinatorSeat.ManagerName}",
                        ClusterSingletonProxySettings.Create(system).WithRole("coordinator").WithSingletonName(CoordinatorSeat.SingletonName).WithLogSingletonIdentificationFailure(false)),
                    CoordinatorActor.Name);
            }).ConfigureAwait(false);
            return new CoordinatorCandidate(started, node, tls, seat, ended);
        }
        catch
        {
            tls?.Dispose();
            throw;
        }
    }

    /// <summary>Waits until this node is a member of the coordinators' cluster; false when it was stopped or cancelled first.</summary>
    /// <param name="cancellation">Stops waiting.</param>
    public async Task<bool> JoinedAsync(CancellationToken cancellation)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(_node.System).RegisterOnMemberUp(() => up.TrySetResult());
        var first = await Task.WhenAny(up.Task, _node.System.WhenTerminated, Task.Delay(Timeout.Infinite, cancellation)).ConfigureAwait(false);
        return first == up.Task;
    }

    /// <summary>Waits until this node holds the singleton, the job ends elsewhere, or the node is removed.</summary>
    /// <param name="cancellation">Stops waiting.</param>
    public async Task<Outcome> WaitAsync(CancellationToken cancellation)
    {
        var interrupted = Task.Delay(Timeout.Infinite, cancellation);
        var first = await Task.WhenAny(_seat.Task, _ended.Task, _node.System.WhenTerminated, interrupted).ConfigureAwait(false);
        if (first == _seat.Task)
        {
            return Outcome.Elected;
        }

        if (first == _ended.Task)
        {
            return _ended.Task.Result.Completed ? Outcome.JobCompleted : Outcome.JobFailed;
        }

        return first == interrupted ? Outcome.Interrupted : Outcome.Removed;
    }

    /// <summary>Runs the job on this node, which holds the singleton: prepares it from the run folder and starts its coordinator.</summary>
    /// <param name="job">The run (its folder is the shared one; with a checkpoint there, resumed from it).</param>
    /// <param name="cluster">The cluster settings.</param>
    /// <param name="observer">Told about steps and epochs; may be null.</param>
    /// <param name="log">Milestones; may be null.</param>
    /// <param name="cancellation">Interrupts the job at a step, with a checkpoint; the workers stay for a standby.</param>
    /// <returns>The job's summary.</returns>
    /// <exception cref="CoordinatorDownedException">The cluster downed this node while it ran the job.</exception>
    public async Task<ClusterSummary> RunAsync(TrainingJobOptions job, ClusterSettings cluster, ITrainingObserver? observer, Action<string>? log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(job);
        var seat = await _seat.Task.ConfigureAwait(false);
        var setup = TrainingSetup.Create(job, log);
        Sharding.ShardingChecks.Validate(cluster, setup.Settings);
        log?.Invoke($"model: {setup.Spec}, {setup.Parameters.Length:N0} parameters");
        var result = new TaskCompletionSource<ClusterSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        seat.Tell(new CoordinatorSeat.Occupy(new CoordinatorOptions(setup, cluster, s => result.TrySetResult(s), observer, log, _options.Host, _tls, Standbys: true)));
        using (cancellation.Register(() => seat.Tell(CoordinatorActor.Interrupt.Instance)))
        {
            if (await Task.WhenAny(result.Task, _node.System.WhenTerminated).ConfigureAwait(false) != result.Task)
            {
                throw CoordinatorDownedException.WithStandby(job.RunDirectory);
            }

            return await result.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Leaves the cluster (a standby then takes the singleton over) and stops the node.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _node.DisposeAsync().ConfigureAwait(false);
        _tls?.Dispose();
    }
}
