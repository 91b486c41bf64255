using System.Globalization;

namespace Backprop.DeployTests.Kubernetes;

/// <summary>Kubernetes resource quantities (<c>500m</c>, <c>2</c>, <c>1Gi</c>) as numbers, to compare them.</summary>
internal static class Quantity
{
    private static readonly (string Suffix, double Factor)[] Suffixes =
    [
        ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024),
        ("m", 0.001), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
    ];

    /// <summary>The quantity in base units: cores for cpu, bytes for memory.</summary>
    public static double Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = Array.Find(Suffixes, s => text.EndsWith(s.Suffix, StringComparison.Ordinal));
        var (suffix, factor) = unit.Suffix is null ? (string.Empty, 1d) : unit;
        return double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number * factor
            : throw new FormatException($"\"{text}\" is not a positive Kubernetes quantity");
    }
}
