using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;
using Backprop.Cluster.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Backprop.Cluster.Hosting;

/// <summary>
/// One cluster node (an ActorSystem named "backprop" with remoting, clustering and our serializer),
/// composed with Akka.Hosting. A lone coordinator founds the cluster by joining itself; a worker joins
/// the coordinator's address and Akka retries until it answers. With standby coordinators every node
/// is given the same list of coordinator addresses as seed nodes: the first founds the cluster when
/// no other answers, the rest join whichever answers. Downing is Akka's split-brain resolver with
/// keep-oldest: with one coordinator on the coordinator role (its side of any partition stays, a
/// worker that vanishes is downed after <see cref="NodeOptions.DownAfter"/>); with standbys on every
/// member and down-if-alone, so that the oldest node, the active coordinator, is downed when it is
/// the one that vanished and the standby can take the job over.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    /// <summary>The actor system name every node shares.</summary>
    public const string SystemName = "backprop";

    private readonly IHost _host;

    private ClusterNode(IHost host, ActorSystem system)
    {
        _host = host;
        System = system;
    }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The node's address as other nodes see it.</summary>
    public Address Address => Akka.Cluster.Cluster.Get(System).SelfAddress;

    /// <summary>Starts a node and joins (or founds) the cluster; <paramref name="actors"/> starts the node's actors.</summary>
    /// <param name="options">Binding and joining.</param>
    /// <param name="actors">Creates the node's actors once the system runs.</param>
    public static async Task<ClusterNode> StartAsync(NodeOptions options, Action<ActorSystem> actors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(actors);
        var downAfter = options.DownAfter ?? TimeSpan.FromSeconds(3);
        var seeds = options.Join is null ? [] : ParseSeeds(options.Join, options.Tls is not null);
        bool standbys = seeds.Count > 1;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.AddAkka(SystemName, (akka, _) =>
        {
            if (!string.IsNullOrWhiteSpace(options.ExtraHocon))
            {
                akka.AddHocon(options.ExtraHocon, HoconAddMode.Prepend);
            }

            if (options.Tls is { } tls)
            {
                // Our own check of the peer's chain (to the cluster's CA) stands in for the system's
                // trust store, which does not hold that CA.
                akka.AddHocon("akka.remote.dot-netty.tcp.enable-ssl = true", HoconAddMode.Prepend);
                akka.AddSetup(new DotNettySslSetup(
                    tls.Certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false, (certificate, _, _, _, _) => tls.Admits(certificate)));
            }

            akka.AddHocon(Tuning(downAfter, options.LogLevel), HoconAddMode.Prepend)
                .WithRemoting(new RemoteOptions
                {
                    HostName = options.Host,
                    Port = options.Port,
                    PublicHostName = options.PublicHost,
                    MaxFrameSize = 4 * 1024 * 1024,
                })
                .WithClustering(new ClusterOptions
                {
                    Roles = [options.Role],
                    SplitBrainResolver = standbys
                        ? new KeepOldestOption { DownIfAlone = true }
                        : new KeepOldestOption { DownIfAlone = false, Role = "coordinator" },
                })
                .WithBackpropSerializer();
            if (standbys)
            {
                // The coordinator runs as a cluster singleton; its manager and proxy read these settings.
                akka.AddHocon(Akka.Cluster.Tools.Singleton.ClusterSingleton.DefaultConfig(), HoconAddMode.Append);
            }
        });
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        var system = host.Services.GetRequiredService<ActorSystem>();
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (options.Join is null)
        {
            cluster.Join(cluster.SelfAddress);
        }
        else
        {
            cluster.JoinSeedNodes(seeds);
        }

        actors(system);
        return new ClusterNode(host, system);
    }

    /// <summary>The address of a coordinator given as "host:port".</summary>
    /// <param name="join">"host:port".</param>
    /// <param name="tls">Whether the cluster speaks TLS (Akka's akka.ssl.tcp protocol).</param>
    public static Address ParseJoin(string join, bool tls = false)
    {
        ArgumentNullException.ThrowIfNull(join);
        int colon = join.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(join.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new Nn.Settings.InvalidSettingException("--join", $"\"{join}\" is not HOST:PORT (e.g. coordinator:4053).");
        }

        return new Address(tls ? "akka.ssl.tcp" : "akka.tcp", SystemName, join[..colon], port);
    }

    /// <summary>The coordinators' addresses given as "host:port[,host:port…]", in the given order.</summary>
    /// <param name="join">One or more "host:port", separated by commas.</param>
    /// <param name="tls">Whether the cluster speaks TLS (Akka's akka.ssl.tcp protocol).</param>
    public static IReadOnlyList<Address> ParseSeeds(string join, bool tls = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(join);
        var seeds = join.Split(',', StringSplitOptions.TrimEntries).Select(entry => ParseJoin(entry, tls)).ToList();
        if (seeds.Distinct().Count() != seeds.Count)
        {
            throw new Nn.Settings.InvalidSettingException("--join", $"\"{join}\" names the same coordinator twice.");
        }

        return seeds;
    }

    /// <summary>Leaves the cluster gracefully and stops the node.</summary>
    public async Task StopAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        await _host.StopAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!System.WhenTerminated.IsCompleted)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _host.Dispose();
    }

    private static string Tuning(TimeSpan downAfter, string logLevel) => $$"""
        akka {
          loglevel = {{logLevel}}
          stdout-loglevel = {{logLevel}}
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          # The command handles SIGTERM and Ctrl+C itself (the coordinator first stops its job at a
          # step and checkpoints it), then leaves the cluster; Akka must not shut down on its own.
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          cluster {
            log-info = off
            split-brain-resolver.stable-after = {{(int)downAfter.TotalMilliseconds}}ms
            # Akka's precaution against a view that keeps changing downs every node, the coordinator
            # included, from whichever node's view it is: a worker that saw a second worker fail before
            # the first was resolved (or that woke from a hang to such a view) ended the whole job.
            # With keep-oldest on the coordinator role the coordinator's side always stays, so waiting
            # for a stable view instead is safe.
            split-brain-resolver.down-all-when-unstable = off
            failure-detector.acceptable-heartbeat-pause = 3s
            shutdown-after-unsuccessful-join-seed-nodes = off
          }
          remote.dot-netty.tcp {
            send-buffer-size = 4096000b
            receive-buffer-size = 4096000b
          }
        }
        """;
}
