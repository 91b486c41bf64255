namespace Backprop.Cli.Sweeps;

/// <summary>One swept setting of a grid: the name it was given, the configuration key it sets, and its values in order.</summary>
/// <param name="Name">As written on the command line: a short name (<c>lr</c>) or a full key.</param>
/// <param name="Key">The full configuration key, e.g. <c>backprop.optimizer.learning-rate</c>.</param>
/// <param name="Values">The values as written, each one HOCON value (<c>0.01</c>, <c>adam</c>, <c>256x128</c> for <c>hidden</c>).</param>
internal sealed record GridAxis(string Name, string Key, IReadOnlyList<string> Values)
{
    /// <summary>Whether <paramref name="other"/> sweeps the same key over the same values in the same order.</summary>
    public bool SameAs(GridAxis other) => Name == other.Name && Key == other.Key && Values.SequenceEqual(other.Values, StringComparer.Ordinal);
}
