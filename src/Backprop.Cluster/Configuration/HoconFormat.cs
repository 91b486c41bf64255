using System.Globalization;
using System.Text;

namespace Backprop.Cluster.Configuration;

/// <summary>Values written as HOCON text that reads back to exactly the same value.</summary>
internal static class HoconFormat
{
    /// <summary>The null literal.</summary>
    public const string Null = "null";

    /// <summary>Double-quoted with JSON escapes, so any text (a path with <c>:</c>, <c>#</c> or spaces) reads back unchanged.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Text, or the null literal.</summary>
    public static string OptionalText(string? text) => text is null ? Null : Quote(text);

    /// <summary>The shortest text that parses back to the same double, exponents as <c>1e-8</c>.</summary>
    public static string Number(double value) => Exponent(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>The shortest text that parses back to the same float.</summary>
    public static string Number(float value) => Exponent(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A whole number.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A whole number, or the null literal.</summary>
    public static string OptionalNumber(int? value) => value is { } number ? Number(number) : Null;

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static string Boolean(bool value) => value ? "true" : "false";

    // "R" writes 1E-08; configuration files (and reference.conf) say 1e-8.
    private static string Exponent(string text)
    {
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }

        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, e)}e{exponent}");
    }
}
