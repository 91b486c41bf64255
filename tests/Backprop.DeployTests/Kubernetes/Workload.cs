using YamlDotNet.RepresentationModel;

namespace Backprop.DeployTests.Kubernetes;

/// <summary>A Deployment or StatefulSet: its selector, its pod template and the template's containers.</summary>
internal sealed class Workload(Manifest manifest)
{
    public Manifest Manifest { get; } = manifest;

    public string Name => Manifest.Name ?? throw new InvalidDataException($"{Manifest} has no name");

    /// <summary><c>spec.replicas</c>, 1 where absent as Kubernetes defaults it.</summary>
    public int Replicas => Manifest.Root.Find("spec", "replicas") is null ? 1 : Manifest.Root.Integer("spec", "replicas");

    /// <summary>A StatefulSet's governing Service, whose name its pods' DNS names end with.</summary>
    public string? ServiceName => Manifest.Root.ScalarOrNull("spec", "serviceName");

    public IReadOnlyDictionary<string, string> SelectorLabels => Manifest.Root.StringMap("spec", "selector", "matchLabels");

    public IReadOnlyDictionary<string, string> PodLabels => Manifest.Root.StringMap("spec", "template", "metadata", "labels");

    public YamlMappingNode PodSpec => Manifest.Root.Mapping("spec", "template", "spec");

    public IReadOnlyList<Container> Containers => [.. PodSpec.Items("containers").Select(c => new Container(c, PodSpec))];

    /// <summary>The single container these manifests give each pod.</summary>
    public Container OnlyContainer => Containers.Count == 1
        ? Containers[0]
        : throw new InvalidDataException($"{Manifest}: expected one container, found {Containers.Count}");

    /// <summary>The pod volume named <paramref name="name"/>.</summary>
    public YamlMappingNode Volume(string name) =>
        PodSpec.Items("volumes").SingleOrDefault(v => v.ScalarOrNull("name") == name)
        ?? throw new InvalidDataException($"{Manifest}: no volume named {name}");

    /// <summary>Every path at which a container of the pod mounts a volume.</summary>
    public IEnumerable<string> MountPaths => Containers.SelectMany(c => c.Node.Items("volumeMounts").Select(m => m.Scalar("mountPath")));

    public override string ToString() => Manifest.ToString();
}
