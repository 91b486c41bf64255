using System.Globalization;

namespace Backprop.DeployTests;

/// <summary>
/// Separate Linux network namespaces, one per node, joined by veth pairs to a bridge that lives in a
/// namespace of its own (nothing touches the host's network), each link limited with a token bucket
/// (<c>tc tbf</c>): machines on a LAN of the given speed. Deleted on dispose.
/// </summary>
internal sealed class NamespaceNetwork : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(30);
    private readonly string _prefix = $"bp{Environment.ProcessId % 10000}";
    private readonly List<string> _namespaces = [];

    /// <summary>Builds the network: node i gets 10.231.0.(i+1)/24.</summary>
    /// <param name="nodes">How many nodes.</param>
    /// <param name="rate">The link rate in tc's notation, e.g. "1gbit".</param>
    public NamespaceNetwork(int nodes, string rate)
    {
        string bridgeSpace = SwitchSpace;
        Add(bridgeSpace);
        Ip("netns", "exec", bridgeSpace, "ip", "link", "add", "br0", "type", "bridge");
        Ip("netns", "exec", bridgeSpace, "ip", "link", "set", "br0", "up");
        for (int i = 0; i < nodes; i++)
        {
            string space = $"{_prefix}-n{i}", outer = $"{_prefix}v{i}", inner = $"{_prefix}p{i}";
            Add(space);
            Ip("link", "add", outer, "type", "veth", "peer", "name", inner);
            Ip("link", "set", outer, "netns", bridgeSpace);
            Ip("link", "set", inner, "netns", space);
            Ip("netns", "exec", bridgeSpace, "ip", "link", "set", outer, "master", "br0");
            Ip("netns", "exec", bridgeSpace, "ip", "link", "set", outer, "up");
            Ip("netns", "exec", space, "ip", "addr", "add", $"{Address(i)}/24", "dev", inner);
            Ip("netns", "exec", space, "ip", "link", "set", inner, "up");
            Ip("netns", "exec", space, "ip", "link", "set", "lo", "up");

            // Both directions of the link are limited: what a node sends (its end) and what it
            // receives (the bridge's end sends it).
            foreach (var (where, device) in new[] { (space, inner), (bridgeSpace, outer) })
            {
                Shell.Check("ip", ["netns", "exec", where, "tc", "qdisc", "add", "dev", device, "root", "tbf", "rate", rate, "burst", "1mb", "latency", "50ms"], Short);
            }

            Nodes.Add(space);
        }
    }

    /// <summary>The nodes' namespaces, in order.</summary>
    public List<string> Nodes { get; } = [];

    /// <summary>Whether this machine can build such a network (root, ip, tc).</summary>
    public static string? Missing()
    {
        if (Environment.UserName != "root")
        {
            return "root is needed for network namespaces";
        }

        foreach (string tool in new[] { "ip", "tc" })
        {
            if (Shell.Run("sh", ["-c", $"command -v {tool}"], Short).Code != 0)
            {
                return $"{tool} is not installed (Debian package iproute2)";
            }
        }

        return null;
    }

    public static string Address(int node) => string.Create(CultureInfo.InvariantCulture, $"10.231.0.{node + 1}");

    /// <summary>
    /// Pulls node <paramref name="node"/>'s cable out of the switch: the bridge's end of its veth pair
    /// goes down, so the bridge forwards nothing to or from it and the node's own end loses its
    /// carrier and sends nothing. Both directions go silent at once. The node's end is left up on
    /// purpose: downing it would delete the node's route, and its programs would get an instant
    /// "network is unreachable" instead of the silence (then unanswered ARP) of a real partition.
    /// </summary>
    public void Cut(int node) => SetSwitchPort(node, "down");

    /// <summary>Plugs node <paramref name="node"/>'s cable back in (see <see cref="Cut"/>).</summary>
    public void Heal(int node) => SetSwitchPort(node, "up");

    public void Dispose()
    {
        // Deleting a namespace deletes the veth ends in it, and with them their peers.
        foreach (string space in Enumerable.Reverse(_namespaces))
        {
            Shell.Run("ip", ["netns", "del", space], Short);
        }
    }

    /// <summary>The bridge's namespace: the switch every node's cable is plugged into.</summary>
    private string SwitchSpace => $"{_prefix}-sw";

    private void Add(string space)
    {
        Shell.Run("ip", ["netns", "del", space], Short);
        Ip("netns", "add", space);
        _namespaces.Add(space);
    }

    private void SetSwitchPort(int node, string state) => Ip("netns", "exec", SwitchSpace, "ip", "link", "set", "dev", $"{_prefix}v{node}", state);

    private static void Ip(params string[] args) => Shell.Check("ip", args, Short);
}
