using System.Collections.Frozen;

namespace Backprop.Cluster.Configuration;

/// <summary>How the values of one enum are spelled in configuration: a kebab-case name each, plus accepted synonyms.</summary>
/// <typeparam name="T">The enum.</typeparam>
internal sealed class EnumSpelling<T>
    where T : struct, Enum
{
    private readonly FrozenDictionary<T, string> _names;
    private readonly FrozenDictionary<string, T> _values;

    /// <summary>Creates the spelling.</summary>
    /// <param name="names">Each value's name, in the order error messages list them.</param>
    /// <param name="synonyms">Other names read as the same values; never written.</param>
    public EnumSpelling(IReadOnlyList<(string Name, T Value)> names, IReadOnlyList<(string Name, T Value)> synonyms)
    {
        Names = names.Select(entry => entry.Name).ToArray();
        _names = names.ToFrozenDictionary(entry => entry.Value, entry => entry.Name);
        _values = names.Concat(synonyms)
            .ToFrozenDictionary(entry => entry.Name, entry => entry.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The names that are written, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The name of <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value has no name: the enum grew and this spelling did not.</exception>
    public string Format(T value) =>
        _names.TryGetValue(value, out string? name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name}.{value} has no configuration name.");

    /// <summary>Reads a name or synonym, ignoring case.</summary>
    public bool TryParse(string text, out T value) => _values.TryGetValue(text.Trim(), out value);
}
