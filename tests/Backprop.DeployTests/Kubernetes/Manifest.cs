using YamlDotNet.RepresentationModel;

namespace Backprop.DeployTests.Kubernetes;

/// <summary>One Kubernetes object: a YAML document of a manifest file.</summary>
/// <param name="File">The file it came from, for messages.</param>
/// <param name="Root">The document's top-level mapping.</param>
internal sealed record Manifest(string File, YamlMappingNode Root)
{
    public string? ApiVersion => Root.ScalarOrNull("apiVersion");

    public string? Kind => Root.ScalarOrNull("kind");

    public string? Name => Root.ScalarOrNull("metadata", "name");

    public override string ToString() => $"{Kind} {Name} ({System.IO.Path.GetFileName(File)})";
}
