using Akka.Configuration.Hocon;

namespace Backprop.Cluster.Configuration;

/// <summary>What a parsed value is, in the words error messages use.</summary>
internal static class HoconValues
{
    /// <summary>Whether the parser kept no value at all, as it does for <c>key = ]</c> or <c>key = ,</c>.</summary>
    public static bool IsMissing(HoconValue value) => value.Values.Count == 0;

    /// <summary>The text of a plain value (a number, word or quoted text), null for the null literal; false for sections and lists.</summary>
    public static bool TryGetText(HoconValue value, out string? text)
    {
        if (IsMissing(value) || value.IsObject() || AsList(value) is not null || !value.IsString())
        {
            text = null;
            return false;
        }

        text = value.GetString();
        return true;
    }

    /// <summary>The elements of a list, or null when the value is not one.</summary>
    public static IReadOnlyList<HoconValue>? AsList(HoconValue value)
    {
        if (value.IsArray())
        {
            return [.. value.GetArray()];
        }

        // The parser's IsArray is false for an empty list, which is still a list.
        return value.Values.Count > 0 && value.Values.All(element => element is HoconArray { Count: 0 }) ? [] : null;
    }

    /// <summary>The value as an error message shows it: <c>"abc"</c>, <c>null</c>, <c>a section { ... }</c> or <c>a list [ ... ]</c>.</summary>
    public static string Describe(HoconValue value)
    {
        if (IsMissing(value))
        {
            return "nothing";
        }

        if (value.IsObject())
        {
            return "a section { ... }";
        }

        if (AsList(value) is not null)
        {
            return "a list [ ... ]";
        }

        return TryGetText(value, out string? text) ? Describe(text) : "a mix of text, sections and lists";
    }

    /// <summary>Text as an error message shows it: quoted, or <c>null</c>.</summary>
    public static string Describe(string? text) => text is null ? HoconFormat.Null : $"\"{text}\"";
}
