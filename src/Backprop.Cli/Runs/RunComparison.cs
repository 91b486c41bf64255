using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Backprop.Cli.Runs;

/// <summary>Two runs side by side: the configuration keys whose values differ, and their final metrics.</summary>
/// <param name="A">The first run.</param>
/// <param name="B">The second run.</param>
/// <param name="Differences">Each differing key of the <c>backprop</c> section with its two values (null where absent).</param>
internal sealed record RunComparison(RunRow A, RunRow B, IReadOnlyList<ConfigDifference> Differences)
{
    /// <summary>Compares two run folders.</summary>
    /// <param name="a">The first run.</param>
    /// <param name="b">The second run.</param>
    public static RunComparison Of(RunFolder a, RunFolder b)
    {
        var left = Flatten(a.Config);
        var right = Flatten(b.Config);
        var differences = left.Keys.Union(right.Keys)
            .Order(StringComparer.Ordinal)
            .Select(key => new ConfigDifference(key, left.GetValueOrDefault(key), right.GetValueOrDefault(key)))
            .Where(d => d.A != d.B)
            .ToList();
        return new RunComparison(RunRow.From(a), RunRow.From(b), differences);
    }

    /// <summary>Every leaf key of the <c>backprop</c> section and its value as text; a list's items are keys of their own (<c>layers[0].units</c>).</summary>
    private static Dictionary<string, string> Flatten(Config? config)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config?.Root is { } root && root.IsObject() && root.GetObject().Items.TryGetValue("backprop", out var section))
        {
            Walk(section, "backprop", values);
        }

        return values;
    }

    private static void Walk(HoconValue value, string path, Dictionary<string, string> values)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
            {
                Walk(child, path + "." + key, values);
            }
        }
        else if (value.IsArray())
        {
            var items = value.GetArray();
            values[path + ".count"] = items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < items.Count; i++)
            {
                Walk(items[i], $"{path}[{i}]", values);
            }
        }
        else
        {
            values[path] = value.IsEmpty ? "null" : value.GetString() ?? "null";
        }
    }
}

/// <summary>One configuration key that two runs set differently.</summary>
/// <param name="Key">The full key.</param>
/// <param name="A">Its value in the first run, or null.</param>
/// <param name="B">Its value in the second run, or null.</param>
internal sealed record ConfigDifference(string Key, string? A, string? B);
