using YamlDotNet.RepresentationModel;

namespace Backprop.DeployTests.Kubernetes;

/// <summary>
/// Walks parsed YAML by key paths (<c>spec.template.metadata</c>), failing with the path when a node is missing
/// or of the wrong shape, so a broken manifest reads as "no spec.selector.matchLabels", not a cast error.
/// </summary>
internal static class YamlNodes
{
    /// <summary>The node at <paramref name="path"/> below <paramref name="node"/>, or null where a key is absent.</summary>
    public static YamlNode? Find(this YamlNode node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>The mapping at <paramref name="path"/>.</summary>
    public static YamlMappingNode Mapping(this YamlNode node, params string[] path) =>
        node.Find(path) as YamlMappingNode ?? throw Missing("a mapping", path);

    /// <summary>The sequence at <paramref name="path"/>.</summary>
    public static YamlSequenceNode Sequence(this YamlNode node, params string[] path) =>
        node.Find(path) as YamlSequenceNode ?? throw Missing("a list", path);

    /// <summary>The scalar text at <paramref name="path"/>.</summary>
    public static string Scalar(this YamlNode node, params string[] path) =>
        node.ScalarOrNull(path) ?? throw Missing("a value", path);

    /// <summary>The scalar text at <paramref name="path"/>, or null where it is absent.</summary>
    public static string? ScalarOrNull(this YamlNode node, params string[] path) =>
        node.Find(path) is YamlScalarNode { Value: { } value } ? value : null;

    /// <summary>The whole number at <paramref name="path"/>.</summary>
    public static int Integer(this YamlNode node, params string[] path) =>
        int.TryParse(node.Scalar(path), System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{string.Join('.', path)} is not a whole number: {node.Scalar(path)}");

    /// <summary>The mapping at <paramref name="path"/> as text keys and values (labels, selectors).</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode node, params string[] path) =>
        node.Mapping(path).Children.ToDictionary(
            entry => ((YamlScalarNode)entry.Key).Value!,
            entry => (entry.Value as YamlScalarNode)?.Value ?? throw new InvalidDataException($"{string.Join('.', path)}.{entry.Key} is not a value"),
            StringComparer.Ordinal);

    /// <summary>The mappings of the list at <paramref name="path"/>, or none where the list is absent.</summary>
    public static IEnumerable<YamlMappingNode> Items(this YamlNode node, params string[] path) =>
        node.Find(path) is YamlSequenceNode sequence ? sequence.Children.OfType<YamlMappingNode>() : [];

    private static InvalidDataException Missing(string what, string[] path) =>
        new($"expected {what} at {string.Join('.', path)}");
}
