using System.Text.RegularExpressions;

namespace Backprop.DeployTests.Kubernetes;

/// <summary>
/// The TLS Secrets of deploy/k8s as README.md tells the user to create them (<c>kubectl create secret
/// generic NAME --from-file=KEY=SOURCE ...</c>), made for real: <c>backprop certs create</c> writes
/// the CA and the node certificates, and each Secret's keys become files of a folder of its own, as
/// a secret volume shows them to a pod.
/// </summary>
public sealed partial class TlsSecrets : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("backprop-k8s-tls-").FullName;

    public TlsSecrets()
    {
        Commands = ReadCommands(File.ReadAllText(RepositoryRoot.File("deploy/k8s/README.md")));

        // The README's sources are relative to where it ran certs create (certs/ca.crt, ...).
        BackpropCli.Check("certs", "create", "--out", Path.Combine(_root, "certs"));
        foreach (var (secret, files) in Commands.DistinctBy(c => c.Secret))
        {
            Directory.CreateDirectory(Folder(secret));
            foreach (var (key, source) in files)
            {
                File.Copy(Path.Combine(_root, source), Path.Combine(Folder(secret), key));
            }
        }
    }

    /// <summary>Every Secret command of the README (creating or replacing one), in order: the Secret, its keys and the files they are read from.</summary>
    public IReadOnlyList<(string Secret, IReadOnlyDictionary<string, string> Files)> Commands { get; }

    /// <summary>The keys of a Secret as the README's first command for it makes them.</summary>
    public IReadOnlyDictionary<string, string> Files(string secret) =>
        Commands.FirstOrDefault(c => c.Secret == secret).Files ?? throw new InvalidDataException($"deploy/k8s/README.md creates no Secret {secret}");

    /// <summary>The folder holding a Secret's keys as files.</summary>
    public string Folder(string secret) => Path.Combine(_root, "secrets", secret);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The <c>kubectl create secret generic</c> commands of a text, continuation lines joined.</summary>
    internal static IReadOnlyList<(string Secret, IReadOnlyDictionary<string, string> Files)> ReadCommands(string text) =>
        [.. text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(line => CreateSecret().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["name"].Value, (IReadOnlyDictionary<string, string>)FromFile().Matches(m.Value)
                .ToDictionary(f => f.Groups["key"].Value, f => f.Groups["source"].Value, StringComparer.Ordinal)))];

    [GeneratedRegex(@"^kubectl create secret generic (?<name>[a-z0-9-]+) .*--from-file=.*$")]
    private static partial Regex CreateSecret();

    [GeneratedRegex(@"--from-file=(?<key>[^=\s]+)=(?<source>\S+)")]
    private static partial Regex FromFile();
}
