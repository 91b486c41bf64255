namespace Backprop.Cluster.Configuration;

/// <summary>Words the problem with an unknown key or value, suggesting the nearest known one by edit distance.</summary>
internal static class KeySuggestion
{
    /// <summary>The problem text for <paramref name="key"/>, unknown among <paramref name="known"/> in <paramref name="sectionPath"/>.</summary>
    /// <param name="sectionPath">Where the key was found, e.g. <c>backprop.training</c> or <c>backprop.model.layers[1]</c>.</param>
    /// <param name="key">The unknown key.</param>
    /// <param name="known">The keys that section has.</param>
    public static string UnknownKey(string sectionPath, string key, IReadOnlyList<string> known)
    {
        if (Nearest(key, known) is { } sibling)
        {
            return $"unknown key; did you mean {sectionPath}.{sibling}?";
        }

        // A key put in the wrong section (learning-rate under training) is worth pointing at where it lives.
        if (!sectionPath.Contains('[', StringComparison.Ordinal) && ElsewhereInSchema(key) is { } elsewhere)
        {
            return $"unknown key; did you mean {elsewhere}?";
        }

        return $"unknown key; {sectionPath} has {string.Join(", ", known)}.";
    }

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="text"/>, or null when none is close.</summary>
    public static string? Nearest(string text, IEnumerable<string> candidates)
    {
        // Close means a typo or two, relative to the length, not a different word.
        int threshold = Math.Max(2, text.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = EditDistance(text.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= threshold ? best : null;
    }

    /// <summary>The Levenshtein distance: insertions, deletions and substitutions of one character.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string? ElsewhereInSchema(string key)
    {
        var byName = KeySchema.AllPaths().ToLookup(path => path[(path.LastIndexOf('.') + 1)..], StringComparer.Ordinal);
        return Nearest(key, byName.Select(group => group.Key)) is { } name ? byName[name].First() : null;
    }
}
