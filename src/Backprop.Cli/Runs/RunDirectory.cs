using System.Globalization;
using Backprop.Nn.Jobs;

namespace Backprop.Cli.Runs;

/// <summary>Where runs live: <c>runs/&lt;time&gt;-&lt;name&gt;/</c> unless a folder is given.</summary>
internal static class RunDirectory
{
    public const string Root = "runs";

    /// <summary>A new folder name for a run called <paramref name="name"/>, stamped with the local time.</summary>
    public static string New(string name, DateTime now) =>
        Path.Combine(Root, now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Sanitize(name));

    /// <summary>The most recent run folder that has a resolved configuration, or null.</summary>
    public static string? Latest()
    {
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .Where(d => File.Exists(Path.Combine(d, RunFiles.Config)))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .LastOrDefault();
    }

    /// <summary>A short name for a run: the config file's, else the data's.</summary>
    public static string NameFor(string? configFile, string dataPath)
    {
        if (configFile is not null)
        {
            return Path.GetFileNameWithoutExtension(configFile);
        }

        string data = dataPath.StartsWith("builtin:", StringComparison.Ordinal) ? dataPath["builtin:".Length..] : Path.GetFileNameWithoutExtension(dataPath.TrimEnd('/', '\\'));
        return string.IsNullOrEmpty(data) ? "run" : data;
    }

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray();
        return new string(chars).Trim('-') is { Length: > 0 } clean ? clean : "run";
    }
}
