using Backprop.Nn.Settings;

namespace Backprop.Nn.Data.Bpd;

/// <summary>
/// Converts any data the loader reads (IDX, CSV, <c>builtin:NAME</c>) into <c>.bpd</c> files: the
/// training split to one file and, when the source has a test split, that split to a second file
/// (<c>NAME.test.bpd</c> by default, which the loader then finds beside <c>NAME.bpd</c>).
/// </summary>
public static class BpdConverter
{
    /// <summary>Loads <paramref name="source"/> as training would, and writes each split.</summary>
    /// <param name="source">What to read: <c>path</c>, <c>test-path</c>, <c>target</c>, <c>task</c>, <c>max-classes</c> apply.</param>
    /// <param name="output">The training split's file; should end in <c>.bpd</c>.</param>
    /// <param name="testOutput">The test split's file; null for <see cref="BpdFormat.TestPathFor"/> of <paramref name="output"/>.</param>
    /// <param name="overwrite">Whether existing files may be replaced.</param>
    /// <returns>The splits written, each with its file.</returns>
    /// <exception cref="OutputExistsException">An output exists and <paramref name="overwrite"/> is false (nothing is written then).</exception>
    public static IReadOnlyList<(string Path, Dataset Data)> Convert(DataSettings source, string output, string? testOutput, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(output);
        var loaded = DatasetLoader.Load(source);
        var splits = new List<(string Path, Dataset Data)> { (output, loaded.Train) };
        if (loaded.Test is not null)
        {
            splits.Add((testOutput ?? BpdFormat.TestPathFor(output), loaded.Test));
        }

        // Check every output before writing any, so a refusal leaves no half-converted pair behind.
        if (!overwrite && splits.FirstOrDefault(s => File.Exists(s.Path)) is { Path: { } existing })
        {
            throw new OutputExistsException(existing);
        }

        foreach (var (path, data) in splits)
        {
            BpdWriter.Write(data, path, overwrite);
        }

        return splits;
    }
}
