using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// The keys of the <c>backprop</c> section for commands that name single settings by key (<c>sweep --grid</c>),
/// checked with the configuration reader's own messages and suggestions.
/// </summary>
public static class SettingKeys
{
    private const string ClusterSection = "backprop.cluster.";

    /// <summary>Every key that holds a value (not a section), as a full path, in reference.conf's order.</summary>
    public static IEnumerable<string> ValueKeys() => KeySchema.ValuePaths();

    /// <summary>
    /// Checks that <paramref name="key"/> names one setting: a value key under <c>backprop</c>, or a key of
    /// <c>backprop.cluster</c>, whose keys the cluster's settings check when they are read.
    /// </summary>
    /// <param name="key">A full dotted key, e.g. <c>backprop.optimizer.learning-rate</c>.</param>
    /// <exception cref="InvalidSettingException">It is outside <c>backprop</c>, a section, or unknown (with the nearest known key suggested).</exception>
    public static void CheckValueKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.StartsWith(KeySchema.Root + ".", StringComparison.Ordinal))
        {
            throw new InvalidSettingException(key, $"is not a training setting; expected a key under {KeySchema.Root}, e.g. backprop.optimizer.learning-rate.");
        }

        if (KeySchema.Sections.TryGetValue(key, out var keys))
        {
            throw new InvalidSettingException(key, $"is a section, not one setting; name one of its keys: {string.Join(", ", keys.Select(k => key + "." + k))}.");
        }

        if (KeySchema.ValuePaths().Contains(key, StringComparer.Ordinal) || key.StartsWith(ClusterSection, StringComparison.Ordinal))
        {
            return;
        }

        // The unknown-key check words the error and suggests the nearest key, as for a configuration file.
        ConfigSource.FromOverride(key, "0");
        throw new InvalidSettingException(key, "unknown key.");
    }

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="text"/> by edit distance, or null when none is within a typo or two.</summary>
    /// <param name="text">What was written.</param>
    /// <param name="candidates">The names it may have meant.</param>
    public static string? Nearest(string text, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(candidates);
        return KeySuggestion.Nearest(text, candidates);
    }
}
