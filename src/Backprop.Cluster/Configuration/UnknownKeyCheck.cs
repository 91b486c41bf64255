using Akka.Configuration;
using Akka.Configuration.Hocon;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// Rejects keys under <c>backprop</c> that no setting has, and values the parser kept nothing of. It runs on
/// each source before they are merged, so a misspelt key is reported instead of quietly leaving a default
/// in place. Sections outside <c>backprop</c> are not looked at.
/// </summary>
internal static class UnknownKeyCheck
{
    /// <summary>Throws <see cref="InvalidSettingException"/> for the first unknown key or empty value of <paramref name="config"/>.</summary>
    public static void Check(Config config)
    {
        if (config.Root.IsObject() && config.Root.GetObject().Items.TryGetValue(KeySchema.Root, out var root))
        {
            Walk(root, KeySchema.Root);
        }
    }

    private static void Walk(HoconValue value, string path)
    {
        if (HoconValues.IsMissing(value))
        {
            throw new InvalidSettingException(path, "has no value; is something missing after the '='?");
        }

        if (KeySchema.Sections.TryGetValue(path, out var known))
        {
            // A section given as something else is reported by the reader, which names the expected type.
            if (value.IsObject())
            {
                CheckSection(value.GetObject(), path, known);
            }
        }
        else if (path == KeySchema.Layers && HoconValues.AsList(value) is { } layers)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                if (!HoconValues.IsMissing(layers[i]) && layers[i].IsObject())
                {
                    CheckSection(layers[i].GetObject(), $"{path}[{i}]", KeySchema.LayerKeys);
                }
            }
        }
    }

    private static void CheckSection(HoconObject section, string path, IReadOnlyList<string> known)
    {
        foreach (var (key, value) in section.Items)
        {
            if (path == KeySchema.Root && KeySchema.ReadElsewhere.Contains(key))
            {
                continue;
            }

            if (!known.Contains(key))
            {
                throw new InvalidSettingException($"{path}.{key}", KeySuggestion.UnknownKey(path, key, known));
            }

            Walk(value, $"{path}.{key}");
        }
    }
}
