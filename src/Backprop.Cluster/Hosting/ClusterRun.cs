using System.Diagnostics;
using Akka.Actor;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Worker;
using Backprop.Nn.Jobs;
using Backprop.Nn.Training;

namespace Backprop.Cluster.Hosting;

/// <summary>The cluster's entry points: a coordinator node, a worker node, or both in one process.</summary>
public static class ClusterRun
{
    /// <summary>How long a worker waits before it tries again after a failed TLS handshake.</summary>
    private static readonly TimeSpan HandshakeRetryPause = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The exit code of the reason Akka.Remote shuts a node down with when a TLS handshake the node
    /// started fails (its TlsHandshakeFailureReason, which is internal: the code is what shows).
    /// </summary>
    private const int TlsHandshakeFailedExitCode = 79;

    /// <summary>How one worker node's life ended.</summary>
    private enum NodeEnding
    {
        /// <summary>The job ended for it, or it gave up.</summary>
        Finished,

        /// <summary>The cluster downed and removed it.</summary>
        Removed,

        /// <summary>A TLS handshake it started failed, and Akka shut its actor system down.</summary>
        HandshakeFailed,

        /// <summary>The job's coordinator node left the cluster while the job went on (a standby takes over).</summary>
        CoordinatorLost,
    }

    /// <summary>
    /// Prepares the job, starts the coordinator node, waits for the workers and the job, and stops.
    /// </summary>
    /// <param name="job">The run (settings, run folder, resume).</param>
    /// <param name="cluster">The cluster settings.</param>
    /// <param name="node">How the coordinator binds.</param>
    /// <param name="observer">Told about steps and epochs; may be null.</param>
    /// <param name="log">Milestones; may be null.</param>
    /// <param name="started">Told the coordinator's address once it listens; may be null.</param>
    /// <param name="cancellation">Stops the job (the last checkpoint stays).</param>
    public static async Task<ClusterSummary> CoordinateAsync(
        TrainingJobOptions job,
        ClusterSettings cluster,
        NodeOptions node,
        ITrainingObserver? observer,
        Action<string>? log,
        Action<Address>? started,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(cluster);
        using var tls = Security.ClusterTls.From(cluster.Tls);
        var setup = TrainingSetup.Create(job, log);
        Sharding.ShardingChecks.Validate(cluster, setup.Settings);
        log?.Invoke($"model: {setup.Spec}, {setup.Parameters.Length:N0} parameters");
        var result = new TaskCompletionSource<ClusterSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        IActorRef actor = ActorRefs.Nobody;
        await using var coordinator = await ClusterNode.StartAsync(
            node with { Role = "coordinator", Join = null, DownAfter = cluster.DownAfter, Tls = tls, LogLevel = cluster.AkkaLogLevel },
            system => actor = system.ActorOf(CoordinatorActor.Props(new CoordinatorOptions(setup, cluster, s => result.TrySetResult(s), observer, log, node.Host, tls)), CoordinatorActor.Name))
            .ConfigureAwait(false);
        started?.Invoke(coordinator.Address);
        log?.Invoke($"coordinator listening at {coordinator.Address.Host}:{coordinator.Address.Port}");
        using (cancellation.Register(() => actor.Tell(CoordinatorActor.Interrupt.Instance)))
        {
            // A node the cluster downed shuts its actor system down, the coordinator with it: the
            // summary would never come, and the command must stop rather than wait for ever.
            if (await Task.WhenAny(result.Task, coordinator.System.WhenTerminated).ConfigureAwait(false) != result.Task)
            {
                throw new CoordinatorDownedException(job.RunDirectory);
            }

            return await result.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts a worker node that joins the coordinator and works until the job ends. A node the
    /// split-brain resolver downed (it was unreachable too long: paused, partitioned) cannot come
    /// back as itself; the worker starts a fresh node and joins again as a new member. A node whose
    /// TLS handshake failed is shut down by Akka; the worker tries again with a fresh one every
    /// second, and gives up once handshakes have failed for the join timeout with no node of it
    /// becoming a member in between.
    /// </summary>
    /// <param name="node">How the worker binds and whom it joins.</param>
    /// <param name="threads">Threads of its matrix products.</param>
    /// <param name="cluster">The cluster settings (slice size, join timeout).</param>
    /// <param name="log">Milestones; may be null.</param>
    /// <param name="cancellation">Leaves the cluster and stops.</param>
    /// <returns>Null when the job finished, else why the worker gave up.</returns>
    public static async Task<string?> WorkAsync(NodeOptions node, int threads, ClusterSettings cluster, Action<string>? log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(cluster);
        using var tls = Security.ClusterTls.From(cluster.Tls);
        node = node with { Tls = tls };
        Stopwatch? handshakesFailing = null;
        while (true)
        {
            var (ending, joined, failure) = await WorkOnceAsync(node, threads, cluster, log, cancellation).ConfigureAwait(false);
            if (ending == NodeEnding.Finished)
            {
                return failure;
            }

            if (cancellation.IsCancellationRequested)
            {
                return "interrupted";
            }

            if (ending == NodeEnding.HandshakeFailed)
            {
                // A certificate the other side refuses fails every handshake: without a limit (and a
                // pause) the worker would start fresh nodes forever, as fast as they fail. The limit
                // runs from the first failure since a node of this worker last was a member.
                if (joined || handshakesFailing is null)
                {
                    handshakesFailing = Stopwatch.StartNew();
                }
                else if (handshakesFailing.Elapsed >= cluster.JoinTimeout)
                {
                    return $"every TLS handshake with the coordinator failed for {cluster.JoinTimeout}: its certificate and this node's must both be signed by the CA each side trusts (backprop.cluster.tls.ca); the log above says which side refused";
                }

                log?.Invoke("a TLS handshake with the coordinator failed; trying again with a fresh node");
                try
                {
                    await Task.Delay(HandshakeRetryPause, cancellation).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return "interrupted";
                }

                continue;
            }

            handshakesFailing = null;
            if (ending == NodeEnding.CoordinatorLost)
            {
                continue;
            }

            log?.Invoke($"this worker was removed from the cluster (unreachable for longer than {cluster.DownAfter.TotalSeconds:0.#} s, or {cluster.MaxMissedSteps} steps missed); rejoining as a new member");
        }
    }

    /// <summary>One node's life: until the job ends for it, or the node is removed or shut down; and whether it became a member.</summary>
    private static async Task<(NodeEnding Ending, bool Joined, string? Failure)> WorkOnceAsync(NodeOptions node, int threads, ClusterSettings cluster, Action<string>? log, CancellationToken cancellation)
    {
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await ClusterNode.StartAsync(
            node with { Role = "worker", DownAfter = cluster.DownAfter, LogLevel = cluster.AkkaLogLevel },
            system => system.ActorOf(
                WorkerActor.Props(new WorkerOptions(threads, cluster.SliceBytes, cluster.JoinTimeout, failure => done.TrySetResult(failure), log, cluster.LaneSliceBytes, node.Tls, () => lost.TrySetResult())),
                WorkerActor.Name))
            .ConfigureAwait(false);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(worker.System).RegisterOnMemberUp(() => up.TrySetResult());
        using (cancellation.Register(() => done.TrySetResult("interrupted")))
        {
            // A downed node's actor system shuts itself down; nothing would ever complete `done`.
            var ended = await Task.WhenAny(done.Task, lost.Task, worker.System.WhenTerminated).ConfigureAwait(false);
            bool joined = up.Task.IsCompleted;
            if (ended == done.Task)
            {
                return (NodeEnding.Finished, joined, await done.Task.ConfigureAwait(false));
            }

            if (ended == lost.Task)
            {
                return (NodeEnding.CoordinatorLost, joined, null);
            }

            // Akka also shuts a node down when a TLS handshake it started fails (the peer's certificate
            // was refused, or the peer refused this one and closed the connection).
            return CoordinatedShutdown.Get(worker.System).ShutdownReason?.ExitCode == TlsHandshakeFailedExitCode
                ? (NodeEnding.HandshakeFailed, joined, null)
                : (NodeEnding.Removed, joined, null);
        }
    }

    /// <summary>
    /// Starts a <c>server</c>-role node that joins the coordinator, holds the shard of the parameter
    /// server it is given, and serves it until the job ends.
    /// </summary>
    /// <param name="node">How the server node binds and whom it joins.</param>
    /// <param name="cluster">The cluster settings (join timeout, TLS).</param>
    /// <param name="log">Milestones; may be null.</param>
    /// <param name="cancellation">Leaves the cluster and stops.</param>
    /// <returns>Null when the job finished, else why the server node gave up.</returns>
    public static async Task<string?> ServeAsync(NodeOptions node, ClusterSettings cluster, Action<string>? log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(cluster);
        using var tls = Security.ClusterTls.From(cluster.Tls);
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ClusterNode.StartAsync(
            node with { Role = "server", Tls = tls, DownAfter = cluster.DownAfter, LogLevel = cluster.AkkaLogLevel },
            system => system.ActorOf(
                Sharding.ShardHostActor.Props(new Sharding.ShardHostOptions(cluster.JoinTimeout, failure => done.TrySetResult(failure), log, node.Host, node.PublicHost ?? node.Host, tls, cluster.SliceBytes, cluster.LanePort)),
                Sharding.ShardHostActor.Name))
            .ConfigureAwait(false);
        using (cancellation.Register(() => done.TrySetResult("interrupted")))
        {
            // A downed node's actor system shuts itself down; nothing would ever complete `done`.
            var ended = await Task.WhenAny(done.Task, server.System.WhenTerminated).ConfigureAwait(false);
            return ended == done.Task
                ? await done.Task.ConfigureAwait(false)
                : $"the cluster removed this server node (unreachable for longer than {cluster.DownAfter.TotalSeconds:0.#} s); the job cannot go on without its shard";
        }
    }

    /// <summary>
    /// The zero-set-up cluster: a coordinator, <paramref name="workers"/> workers and, with a sharded
    /// parameter server, its K − 1 server nodes as separate actor systems in this process, joined over loopback TCP, so every message crosses the real remoting
    /// and serializer.
    /// </summary>
    /// <param name="job">The run.</param>
    /// <param name="cluster">The cluster settings (min-workers is raised to <paramref name="workers"/>).</param>
    /// <param name="workers">Worker nodes to start.</param>
    /// <param name="threadsPerWorker">Threads of each worker's matrix products.</param>
    /// <param name="observer">Told about steps and epochs; may be null.</param>
    /// <param name="log">Milestones; may be null.</param>
    /// <param name="cancellation">Stops the job.</param>
    public static async Task<ClusterSummary> InProcessAsync(
        TrainingJobOptions job, ClusterSettings cluster, int workers, int threadsPerWorker, ITrainingObserver? observer, Action<string>? log, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentNullException.ThrowIfNull(cluster);
        var address = new TaskCompletionSource<Address>(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster = cluster with { MinWorkers = Math.Max(cluster.MinWorkers, workers) };
        var coordinator = CoordinateAsync(job, cluster, new NodeOptions("coordinator"), observer, log, a => address.TrySetResult(a), cancellation);
        var listening = await Task.WhenAny(address.Task, coordinator).ConfigureAwait(false);
        if (listening == coordinator)
        {
            return await coordinator.ConfigureAwait(false);
        }

        var at = await address.Task.ConfigureAwait(false);
        var servers = Enumerable.Range(1, cluster.Exchange.Servers - 1)
            .Select(_ => ServeAsync(new NodeOptions("server", Join: $"{at.Host}:{at.Port}"), cluster with { LanePort = 0 }, null, cancellation))
            .ToList();
        var tasks = Enumerable.Range(0, workers)
            .Select(_ => WorkAsync(new NodeOptions("worker", Join: $"{at.Host}:{at.Port}"), threadsPerWorker, cluster, null, cancellation))
            .ToList();
        var summary = await coordinator.ConfigureAwait(false);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        await Task.WhenAll(servers).ConfigureAwait(false);
        return summary;
    }
}
