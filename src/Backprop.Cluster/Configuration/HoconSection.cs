using System.Globalization;
using Akka.Configuration.Hocon;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// One section of the merged configuration with typed reads. An absent key gives the fallback (the settings
/// record's default); a value of the wrong type throws <see cref="InvalidSettingException"/> naming the key.
/// </summary>
internal sealed class HoconSection
{
    private readonly HoconObject _items;

    private HoconSection(HoconObject items, string path)
    {
        _items = items;
        Path = path;
    }

    /// <summary>The section's key path, e.g. <c>backprop.training</c> or <c>backprop.model.layers[0]</c>.</summary>
    public string Path { get; }

    /// <summary>The section <paramref name="value"/> at <paramref name="path"/>; an absent one reads as all defaults.</summary>
    public static HoconSection Of(HoconValue? value, string path)
    {
        if (value is null)
        {
            return new HoconSection(new HoconObject(), path);
        }

        if (HoconValues.IsMissing(value) || !value.IsObject())
        {
            throw new InvalidSettingException(path, $"expected a section {{ ... }}, got {HoconValues.Describe(value)}.");
        }

        return new HoconSection(value.GetObject(), path);
    }

    /// <summary>The section under <paramref name="key"/>.</summary>
    public HoconSection Section(string key) => Of(Get(key), KeyPath(key));

    /// <summary>The key's full path.</summary>
    public string KeyPath(string key) => Path + "." + key;

    /// <summary>The raw value of <paramref name="key"/>, or null when absent.</summary>
    public HoconValue? Get(string key) => _items.Items.TryGetValue(key, out var value) ? value : null;

    /// <summary>An <see cref="int"/>.</summary>
    public int WholeNumber(string key, int fallback) =>
        Read(key, fallback, allowNull: false, "a whole number", text => ParseInt(text, key));

    /// <summary>An <see cref="int"/> that must be given.</summary>
    /// <param name="key">The key.</param>
    /// <param name="whenMissing">The problem to report when the key is absent.</param>
    public int RequiredWholeNumber(string key, string whenMissing) =>
        Get(key) is null ? throw new InvalidSettingException(KeyPath(key), whenMissing) : WholeNumber(key, 0);

    /// <summary>An <see cref="int"/>, or null for <c>null</c> and <c>auto</c>.</summary>
    public int? OptionalWholeNumber(string key, int? fallback) =>
        Read(key, fallback, allowNull: true, "a whole number or auto", text => IsAuto(text) ? null : ParseInt(text, key));

    /// <summary>A <see cref="long"/>.</summary>
    public long LongNumber(string key, long fallback) =>
        Read(key, fallback, allowNull: false, "a whole number", text => ParseLong(text) ?? throw WrongType(key, "a whole number", text));

    /// <summary>A finite <see cref="double"/>.</summary>
    public double Number(string key, double fallback) =>
        Read(key, fallback, allowNull: false, "a number", text => ParseDouble(text) ?? throw WrongType(key, "a number", text));

    /// <summary>A finite <see cref="float"/>, parsed as one so that what <see cref="HoconFormat"/> wrote reads back exactly.</summary>
    public float SingleNumber(string key, float fallback) =>
        Read(key, fallback, allowNull: false, "a number", text =>
            float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value)
                ? value
                : throw WrongType(key, "a number", text));

    /// <summary>A <see cref="bool"/>: true, false, yes, no, on or off as HOCON allows.</summary>
    public bool Boolean(string key, bool fallback) =>
        Read(key, fallback, allowNull: false, "true or false", text => text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw WrongType(key, "true or false", text),
        });

    /// <summary>Text.</summary>
    public string Text(string key, string fallback) =>
        Read(key, fallback, allowNull: false, "text", text => text);

    /// <summary>Text, or null for <c>null</c> and empty text.</summary>
    public string? OptionalText(string key, string? fallback) =>
        Read(key, fallback, allowNull: true, "text or null", text => string.IsNullOrWhiteSpace(text) ? null : text);

    /// <summary>One of the names of <paramref name="names"/>.</summary>
    public T Choice<T>(string key, EnumSpelling<T> names, T fallback)
        where T : struct, Enum =>
        Read(key, fallback, allowNull: false, OneOf(names.Names), text => ParseChoice(key, names, text, names.Names));

    /// <summary>One of the names of <paramref name="names"/>, or null for <c>null</c> and <c>auto</c>.</summary>
    public T? OptionalChoice<T>(string key, EnumSpelling<T> names, T? fallback)
        where T : struct, Enum
    {
        var allowed = names.Names.Append(SettingNames.Auto).ToArray();
        return Read(key, fallback, allowNull: true, OneOf(allowed), text => IsAuto(text) ? null : ParseChoice(key, names, text, allowed));
    }

    private T Read<T>(string key, T fallback, bool allowNull, string expected, Func<string, T> parse)
    {
        if (Get(key) is not { } value)
        {
            return fallback;
        }

        if (!HoconValues.TryGetText(value, out string? text) || (text is null && !allowNull))
        {
            throw new InvalidSettingException(KeyPath(key), $"expected {expected}, got {HoconValues.Describe(value)}.");
        }

        return text is null ? default! : parse(text);
    }

    private int ParseInt(string text, string key)
    {
        long value = ParseLong(text) ?? throw WrongType(key, "a whole number", text);
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw WrongType(key, $"a whole number from {int.MinValue} to {int.MaxValue}", text);
    }

    private static long? ParseLong(string text) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;

    private static double? ParseDouble(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : null;

    private T ParseChoice<T>(string key, EnumSpelling<T> names, string text, IReadOnlyList<string> allowed)
        where T : struct, Enum
    {
        if (names.TryParse(text, out T value))
        {
            return value;
        }

        string suggestion = KeySuggestion.Nearest(text.Trim(), allowed) is { } nearest ? $" (did you mean {nearest}?)" : "";
        throw new InvalidSettingException(
            KeyPath(key), $"unknown value {HoconValues.Describe(text)}; expected {OneOf(allowed)}{suggestion}.");
    }

    private static bool IsAuto(string text) => string.Equals(text.Trim(), SettingNames.Auto, StringComparison.OrdinalIgnoreCase);

    private static string OneOf(IReadOnlyList<string> names) => "one of " + string.Join(", ", names);

    private InvalidSettingException WrongType(string key, string expected, string text) =>
        new(KeyPath(key), $"expected {expected}, got {HoconValues.Describe(text)}.");
}
