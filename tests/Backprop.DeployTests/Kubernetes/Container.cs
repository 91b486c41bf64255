using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Backprop.DeployTests.Kubernetes;

/// <summary>A container of a pod template, with the pod spec for the settings a container inherits.</summary>
internal sealed partial class Container(YamlMappingNode node, YamlMappingNode podSpec)
{
    public YamlMappingNode Node { get; } = node;

    public string Name => Node.Scalar("name");

    public IReadOnlyList<string> Args => [.. Node.Sequence("args").Children.Select(a => ((YamlScalarNode)a).Value!)];

    /// <summary>The value of <paramref name="flag"/> in the args (<c>--port 4053</c> or <c>--port=4053</c>), or null.</summary>
    public string? Arg(string flag)
    {
        var args = Args;
        var values = args
            .Select((arg, i) => arg == flag && i + 1 < args.Count ? args[i + 1] : arg.StartsWith(flag + "=", StringComparison.Ordinal) ? arg[(flag.Length + 1)..] : null)
            .OfType<string>()
            .ToList();
        return values.Count <= 1 ? values.SingleOrDefault() : throw new InvalidDataException($"{Name}: {flag} is given {values.Count} times");
    }

    /// <summary>The number of the container port named <paramref name="name"/>.</summary>
    public int Port(string name) =>
        (Node.Items("ports").SingleOrDefault(p => p.ScalarOrNull("name") == name)
            ?? throw new InvalidDataException($"{Name}: no container port named {name}")).Integer("containerPort");

    /// <summary>The probe of <paramref name="kind"/> (<c>readinessProbe</c>, <c>livenessProbe</c>), or null.</summary>
    public YamlMappingNode? Probe(string kind) => Node.Find(kind) as YamlMappingNode;

    /// <summary>
    /// The port a probe of <paramref name="kind"/> checks: a <c>tcpSocket</c> probe's port, or the port an
    /// <c>exec</c> probe looks for as a listening socket in <c>/proc/net/tcp</c> (<c>grep ... ":0FD5 ...:0000 0A"</c>,
    /// the port in hex); null when there is no such probe or it checks no port.
    /// </summary>
    public int? ProbedPort(string kind)
    {
        if (Probe(kind) is not { } probe)
        {
            return null;
        }

        if (probe.Find("tcpSocket") is not null)
        {
            return probe.Integer("tcpSocket", "port");
        }

        var command = probe.Find("exec", "command") is YamlSequenceNode words ? string.Join(' ', words.Children.Select(w => ((YamlScalarNode)w).Value)) : string.Empty;
        var listening = ListeningSocketCheck().Match(command);
        return listening.Success ? int.Parse(listening.Groups["port"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The environment variable named <paramref name="name"/>, or null.</summary>
    public YamlMappingNode? Env(string name) => Node.Items("env").SingleOrDefault(e => e.ScalarOrNull("name") == name);

    /// <summary>The literal values of the environment variables whose names start with <paramref name="prefix"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> EnvValues(string prefix) =>
        Node.Items("env")
            .Where(e => e.Scalar("name").StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(e.Scalar("name"), e.Scalar("value")));

    /// <summary>Where the volume named <paramref name="volume"/> is mounted, or null.</summary>
    public string? MountPath(string volume) =>
        Node.Items("volumeMounts").SingleOrDefault(m => m.ScalarOrNull("name") == volume)?.ScalarOrNull("mountPath");

    /// <summary>A security setting as it applies: the container's own, else the pod's.</summary>
    public string? Security(string key) =>
        Node.ScalarOrNull("securityContext", key) ?? podSpec.ScalarOrNull("securityContext", key);

    public override string ToString() => Name;

    [GeneratedRegex(@"^grep -qsE :(?<port>[0-9A-F]{4}) \[0-9A-F\]\+:0000 0A /proc/net/tcp /proc/net/tcp6$")]
    private static partial Regex ListeningSocketCheck();
}
