using System.Text;
using Backprop.Nn.Settings;

namespace Backprop.Cli.Sweeps;

/// <summary>
/// Reads <c>--grid</c>: entries <c>KEY=V1,V2,...</c> separated by spaces. Commas and spaces inside
/// brackets, braces or quotes belong to the value, so a list such as <c>[{ units = 64 }, { units = 32 }]</c>
/// is one value.
/// </summary>
internal static class GridParser
{
    private const string Option = "--grid";

    /// <summary>The axes of the grid, in the order given.</summary>
    /// <param name="texts">Each <c>--grid</c> option's text.</param>
    /// <exception cref="InvalidSettingException">An entry is malformed, a key is unknown or given twice, or a value is empty or repeated.</exception>
    public static IReadOnlyList<GridAxis> Parse(IEnumerable<string> texts)
    {
        var axes = new List<GridAxis>();
        foreach (string entry in texts.SelectMany(text => Split(text, char.IsWhiteSpace)).Where(e => e.Length > 0))
        {
            var axis = ParseEntry(entry);
            if (axes.FirstOrDefault(a => a.Key == axis.Key) is { } earlier)
            {
                throw new InvalidSettingException(
                    Option, earlier.Name == axis.Name ? $"{axis.Name} is given twice; list all its values in one entry: {axis.Name}=V1,V2,..." : $"{earlier.Name} and {axis.Name} both set {axis.Key}; keep one.");
            }

            axes.Add(axis);
        }

        return axes.Count > 0 ? axes : throw new InvalidSettingException(Option, "no settings to sweep; give entries such as \"lr=0.01,0.1 batch=64,128\".");
    }

    private static GridAxis ParseEntry(string entry)
    {
        int equals = entry.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new InvalidSettingException(Option, $"'{entry}' is not KEY=V1,V2,...; e.g. lr=0.01,0.1.");
        }

        string name = entry[..equals];
        string key = SweepKeys.Resolve(name);
        var values = Split(entry[(equals + 1)..], c => c == ',').Select(v => v.Trim()).ToList();
        if (values.Count == 1 && values[0].Length == 0)
        {
            throw new InvalidSettingException(Option, $"{name} has no values; give them after the '=': {name}=V1,V2,...");
        }

        int empty = values.IndexOf(string.Empty);
        if (empty >= 0)
        {
            throw new InvalidSettingException(Option, $"value {empty + 1} of {name} is empty in '{entry}'.");
        }

        if (values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new InvalidSettingException(Option, $"{name} lists {repeated.Key} more than once.");
        }

        return new GridAxis(name, key, values);
    }

    /// <summary>Splits at separators that are outside quotes, brackets and braces.</summary>
    private static List<string> Split(string text, Func<char, bool> isSeparator)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        int depth = 0;
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                quoted = c != '"' || text[i - 1] == '\\';
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c is '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && isSeparator(c))
            {
                parts.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        parts.Add(current.ToString());
        return parts;
    }
}
