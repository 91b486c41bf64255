using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// One layer of configuration (reference.conf, a user's file with its includes, one flag), parsed and checked
/// on its own: syntax with line numbers and substitutions (<see cref="GuardedParser"/>), then unknown keys
/// under <c>backprop</c>. Every failure is an <see cref="InvalidSettingException"/> naming the file or key.
/// </summary>
internal static partial class ConfigSource
{
    /// <summary>The manifest name of the embedded reference.conf (the project's EmbeddedResource LogicalName).</summary>
    public const string ReferenceResource = "Backprop.Cluster.reference.conf";

    // A file that includes itself, directly or not, would otherwise include forever.
    private const int MaxIncludeDepth = 8;

    /// <summary>The text of the embedded reference.conf: every key with its default.</summary>
    public static string ReferenceText()
    {
        using var stream = typeof(ConfigSource).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"The resource {ReferenceResource} is missing: the build is broken.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The embedded reference.conf, parsed and checked.</summary>
    public static Config Reference() => FromText(ReferenceText(), "reference.conf");

    /// <summary>A configuration file; <c>include "other.conf"</c> in it is read relative to its folder.</summary>
    /// <param name="path">The file.</param>
    public static Config FromFile(string path)
    {
        var config = ParseFile(path, depth: 0);
        UnknownKeyCheck.Check(config);
        return config;
    }

    /// <summary>Configuration text that came from somewhere other than a file; it cannot include files.</summary>
    /// <param name="text">The HOCON text.</param>
    /// <param name="source">Where it came from, for messages.</param>
    public static Config FromText(string text, string source)
    {
        var config = Parse(text, source, includeFolder: null, depth: 0);
        UnknownKeyCheck.Check(config);
        return config;
    }

    /// <summary>
    /// One override: <paramref name="valueText"/> is read as a HOCON value (<c>5</c>, <c>adam</c>,
    /// <c>[{ units = 64 }]</c>, <c>"a:b"</c>). Text that is not one whole value, such as a path with a colon
    /// (<c>builtin:diabetes</c>), is taken literally as text.
    /// </summary>
    /// <param name="key">The dotted key, e.g. <c>backprop.training.epochs</c>.</param>
    /// <param name="valueText">The value.</param>
    public static Config FromOverride(string key, string valueText)
    {
        if (!DottedKey().IsMatch(key))
        {
            throw new InvalidSettingException(key, "is not a setting name; expected a dotted key such as backprop.training.epochs.");
        }

        string source = $"the setting {key}";
        var config = TryParseOverride(key, valueText) ?? Parse($"{key} = {HoconFormat.Quote(valueText)}", source, null, 0);
        UnknownKeyCheck.Check(config);
        return config;
    }

    private static Config? TryParseOverride(string key, string valueText)
    {
        if (string.IsNullOrWhiteSpace(valueText))
        {
            return null;
        }

        Config config;
        try
        {
            config = Parse($"{key} = {valueText}", key, includeFolder: null, depth: 0);
        }
        catch (InvalidSettingException)
        {
            return null;
        }

        // Text such as "5\nbackprop.x = 1" or "/data/a#b.csv" parses, but as something other than the one whole value.
        return SetsOnly(config.Root, key.Split('.')) && !SyntaxCheck.HasComment(valueText) ? config : null;
    }

    private static bool SetsOnly(HoconValue root, string[] segments)
    {
        var value = root;
        foreach (string segment in segments)
        {
            if (!value.IsObject() || value.GetObject().Items.Count != 1
                || !value.GetObject().Items.TryGetValue(segment, out var inner))
            {
                return false;
            }

            value = inner;
        }

        return !HoconValues.IsMissing(value);
    }

    private static Config ParseFile(string path, int depth)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new InvalidSettingException(
                path, Directory.Exists(full) ? "is a folder, not a configuration file." : "configuration file not found.");
        }

        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingException(path, $"cannot read the configuration file: {e.Message}");
        }

        return Parse(text, path, System.IO.Path.GetDirectoryName(full), depth);
    }

    private static Config Parse(string text, string source, string? includeFolder, int depth) =>
        GuardedParser.Parse(text, source, name => Include(name, source, includeFolder, depth));

    private static HoconRoot Include(string name, string source, string? folder, int depth)
    {
        if (folder is null)
        {
            throw new InvalidSettingException(source, $"cannot include \"{name}\": only configuration files can include others.");
        }

        if (depth >= MaxIncludeDepth)
        {
            throw new InvalidSettingException(source, $"cannot include \"{name}\": includes nest deeper than {MaxIncludeDepth} files; does a file include itself?");
        }

        var included = ParseFile(System.IO.Path.Combine(folder, name), depth + 1);
        return new HoconRoot(included.Root, included.Substitutions);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")]
    private static partial Regex DottedKey();

}
