using System.Net;
using System.Net.Sockets;

namespace Backprop.Cluster.Hosting;

/// <summary>
/// The name other nodes reach this one by when it listens on every interface (0.0.0.0) and no
/// <c>--public-host</c> is given. Akka puts that name into every address it hands out, so "0.0.0.0"
/// would only ever work on one machine.
/// </summary>
public static class PublicHost
{
    /// <summary>True for the addresses that mean "every interface".</summary>
    /// <param name="bind">The <c>--host</c> value.</param>
    public static bool IsWildcard(string bind) => bind is "0.0.0.0" or "::" or "[::]";

    /// <summary>
    /// For a worker: the local IP address of the route to the coordinator, which is the address the
    /// coordinator can reach it by on any network where the two see each other directly (a compose
    /// network, a LAN, a pod network).
    /// </summary>
    /// <param name="join">The coordinator as "host:port", or several separated by commas (the first whose name resolves counts).</param>
    /// <returns>The address, as text.</returns>
    /// <exception cref="SocketException">No coordinator's name resolves.</exception>
    public static string TowardsCoordinator(string join)
    {
        var seeds = ClusterNode.ParseSeeds(join);
        for (int i = 0; ; i++)
        {
            try
            {
                return Towards(seeds[i]);
            }
            catch (SocketException) when (i + 1 < seeds.Count)
            {
                // A stopped coordinator's container or pod name stops resolving; a standby's may still.
            }
        }
    }

    private static string Towards(Akka.Actor.Address address)
    {
        var target = IPAddress.TryParse(address.Host, out var ip)
            ? ip
            : Dns.GetHostAddresses(address.Host!).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();

        // Connecting a UDP socket sends nothing: it only asks the kernel which route, and so which
        // source address, a packet to the coordinator would take.
        using var probe = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(new IPEndPoint(target, address.Port ?? 4053));
        return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
    }

    /// <summary>
    /// <see cref="TowardsCoordinator(string)"/>, retried while the coordinator's name does not resolve
    /// yet (its container or pod may start after the workers').
    /// </summary>
    /// <param name="join">The coordinator as "host:port".</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="log">Told once that the worker is waiting; may be null.</param>
    /// <exception cref="IOException">The name did not resolve within <paramref name="timeout"/>.</exception>
    public static string TowardsCoordinator(string join, TimeSpan timeout, Action<string>? log)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (bool told = false; ; told = true)
        {
            try
            {
                return TowardsCoordinator(join);
            }
            catch (SocketException e) when (DateTime.UtcNow < deadline)
            {
                if (!told)
                {
                    log?.Invoke($"the coordinator's name in {join} does not resolve yet ({e.Message}); retrying for up to {timeout.TotalSeconds:0} s");
                }

                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
            catch (SocketException e)
            {
                throw new IOException($"the coordinator's name in --join {join} did not resolve within {timeout.TotalSeconds:0} s ({e.Message}); is the name right, and is the coordinator running?", e);
            }
        }
    }

    /// <summary>
    /// For a coordinator among standbys: the entry of the shared <c>--join</c> list that is this node,
    /// the one with its port whose host is its public name or resolves to an address of this machine.
    /// Akka recognises the founding seed by comparing addresses exactly, so the node must then go by
    /// that entry's host.
    /// </summary>
    /// <param name="seeds">The coordinators, as every node is given them.</param>
    /// <param name="publicHost">The name this node would otherwise go by.</param>
    /// <param name="port">The port it listens on.</param>
    /// <returns>The entry's host, or null when no entry is this node.</returns>
    public static string? FindSelf(IReadOnlyList<Akka.Actor.Address> seeds, string publicHost, int port)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var mine = seeds.Where(s => s.Port == port).ToList();
        if (mine.FirstOrDefault(s => string.Equals(s.Host, publicHost, StringComparison.OrdinalIgnoreCase)) is { } named)
        {
            return named.Host;
        }

        var local = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .ToHashSet();
        foreach (var seed in mine)
        {
            try
            {
                if (Dns.GetHostAddresses(seed.Host!).Any(local.Contains))
                {
                    return seed.Host;
                }
            }
            catch (SocketException)
            {
                // Another coordinator's name that does not resolve from here is not this node.
            }
        }

        return null;
    }

    /// <summary>For the coordinator: this machine's host name, which workers then give to <c>--join</c>.</summary>
    public static string OfThisMachine() => Dns.GetHostName();
}
