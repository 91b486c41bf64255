using YamlDotNet.RepresentationModel;

namespace Backprop.DeployTests.Kubernetes;

/// <summary>The objects of a folder of manifests (every document of every file), looked up by kind and name.</summary>
internal sealed class ManifestSet
{
    /// <summary>The file that lists the others for <c>kubectl apply -k</c>; it is no object of its own.</summary>
    public const string KustomizationFile = "kustomization.yaml";

    private ManifestSet(IReadOnlyList<Manifest> all) => All = all;

    public IReadOnlyList<Manifest> All { get; }

    /// <summary>The YAML files of <paramref name="folder"/> other than the kustomization, by name.</summary>
    public static IReadOnlyList<string> ManifestFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != KustomizationFile)
            .Order(StringComparer.Ordinal)];

    public static ManifestSet LoadFolder(string folder) =>
        new([.. ManifestFiles(folder).SelectMany(file => Documents(File.ReadAllText(file), file))]);

    /// <summary>Objects from YAML text, as a file with several documents would hold them.</summary>
    public static ManifestSet Parse(string yaml, string source) => new([.. Documents(yaml, source)]);

    /// <summary>Every document of <paramref name="yaml"/>, each required to be a mapping.</summary>
    public static IEnumerable<Manifest> Documents(string yaml, string source)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(document => new Manifest(
            source,
            document.RootNode as YamlMappingNode ?? throw new InvalidDataException($"{source}: a document is not a mapping")));
    }

    public IEnumerable<Manifest> OfKind(string kind) => All.Where(m => m.Kind == kind);

    /// <summary>The one object of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public Manifest Single(string kind, string name)
    {
        var found = All.Where(m => m.Kind == kind && m.Name == name).ToList();
        return found.Count == 1
            ? found[0]
            : throw new InvalidDataException($"expected one {kind} named {name}, found {found.Count} among {string.Join(", ", All)}");
    }

    /// <summary>The Deployment or StatefulSet named <paramref name="name"/>.</summary>
    public Workload Workload(string kind, string name) => new(Single(kind, name));
}
