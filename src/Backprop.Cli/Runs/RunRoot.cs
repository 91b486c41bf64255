namespace Backprop.Cli.Runs;

/// <summary>Finds the run folders under a root folder (<c>runs/</c> by default) and names given on the command line.</summary>
internal static class RunRoot
{
    /// <summary>Every run folder directly under <paramref name="root"/>, by name.</summary>
    /// <param name="root">The root folder.</param>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    public static IReadOnlyList<string> Folders(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{root}: no such folder of runs; give --root, or train a run first (backprop train).");
        }

        return [.. Directory.GetDirectories(root).Where(RunFolder.IsRunFolder).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)];
    }

    /// <summary>A run named on the command line: a folder path, else a folder name under <paramref name="root"/>.</summary>
    /// <param name="root">The root folder.</param>
    /// <param name="name">The path or name.</param>
    /// <exception cref="DirectoryNotFoundException">Neither exists.</exception>
    public static string Resolve(string root, string name)
    {
        if (Directory.Exists(name))
        {
            return name;
        }

        string under = Path.Combine(root, name);
        return Directory.Exists(under)
            ? under
            : throw new DirectoryNotFoundException($"{name}: no such run folder (looked for {name} and {under}).");
    }
}
