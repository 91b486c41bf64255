namespace Backprop.DeployTests.Kubernetes;

/// <summary>Equality-based label selection, as a workload's matchLabels or a Service's selector applies it.</summary>
internal static class LabelSelector
{
    /// <summary>
    /// Why <paramref name="selector"/> does not select pods labelled <paramref name="labels"/>: one line per
    /// selector label the pods lack or carry with another value; none when it selects them.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        [.. selector
            .Where(wanted => !labels.TryGetValue(wanted.Key, out var actual) || actual != wanted.Value)
            .Select(wanted => labels.TryGetValue(wanted.Key, out var actual)
                ? $"{wanted.Key}: the selector wants {wanted.Value}, the pods have {actual}"
                : $"{wanted.Key}: the selector wants {wanted.Value}, the pods have no such label")];

    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && Mismatches(selector, labels).Count == 0;
}
