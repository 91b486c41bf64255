namespace Backprop.Nn.Data;

/// <summary>The MNIST file-naming conventions: where an images file's labels are, what a folder must hold.</summary>
internal static class IdxLayout
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    private const int ListedEntries = 20;

    /// <summary>The file <paramref name="stem"/> or <paramref name="stem"/>.gz in the folder, or null.</summary>
    public static string? Find(string folder, string stem)
    {
        foreach (var name in new[] { stem, stem + ".gz" })
        {
            string path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The names a folder must hold, for messages.</summary>
    public static string Expected(params string[] stems) => string.Join(", ", stems.Select(s => s + "[.gz]"));

    /// <summary>What the folder holds, for messages.</summary>
    public static string Listing(string folder)
    {
        var entries = Directory.EnumerateFileSystemEntries(folder)
            .Select(p => Path.GetFileName(p) + (Directory.Exists(p) ? "/" : ""))
            .Order(StringComparer.Ordinal)
            .ToList();
        return entries.Count == 0
            ? "nothing"
            : string.Join(", ", entries.Take(ListedEntries)) + (entries.Count > ListedEntries ? $", ... ({entries.Count} in all)" : "");
    }

    /// <summary>
    /// The labels file beside an images file, by the standard naming (…images-idx3… → …labels-idx1…),
    /// compressed or not.
    /// </summary>
    /// <exception cref="FileNotFoundException">The name does not follow the convention or the labels file is absent.</exception>
    public static string LabelsFor(string imagesPath)
    {
        string folder = Path.GetDirectoryName(imagesPath) ?? "";
        string name = Path.GetFileName(imagesPath);
        int at = name.LastIndexOf("images", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new FileNotFoundException(
                $"{imagesPath}: cannot find the labels of these IDX images: expected an images file named like " +
                $"{TrainImages}[.gz], whose labels file is {TrainLabels}[.gz] in the same folder.", imagesPath);
        }

        string labels = (name[..at] + "labels" + name[(at + "images".Length)..]).Replace("idx3", "idx1", StringComparison.Ordinal);
        string stem = labels.EndsWith(".gz", StringComparison.Ordinal) ? labels[..^3] : labels;
        return Find(folder, stem) ?? throw new FileNotFoundException(
            $"{imagesPath}: the labels file for these IDX images is missing; expected {Path.Combine(folder, stem)} " +
            $"or {Path.Combine(folder, stem)}.gz. The folder has: {Listing(folder.Length == 0 ? "." : folder)}.",
            Path.Combine(folder, stem));
    }

    /// <summary>True when the file is an IDX file by its first bytes (raw magic or gzip); CSV otherwise.</summary>
    public static bool IsIdx(string path)
    {
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> start = stackalloc byte[4];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        int read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return IdxFile.LooksLikeIdx(start[..read]);
    }
}
