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
    /// <param name="join">The coordinator as "host:port".</param>
    /// <returns>The address, as text.</returns>
    /// <exception cref="SocketException">The coordinator's name does not resolve.</exception>
    public static string TowardsCoordinator(string join)
    {
        var address = ClusterNode.ParseJoin(join);
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

    /// <summary>For the coordinator: this machine's host name, which workers then give to <c>--join</c>.</summary>
    public static string OfThisMachine() => Dns.GetHostName();
}
