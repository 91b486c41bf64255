namespace Backprop.Nn.Data.Bpd;

/// <summary>
/// Constants of the <c>.bpd</c> dataset file (docs/data-format.md): a checksummed header with the
/// shape and names, then the rows as raw little-endian float32 features and int32 labels or float32
/// targets, laid out so that the file can be memory-mapped and read in place.
/// </summary>
public static class BpdFormat
{
    /// <summary>The extension of a dataset file.</summary>
    public const string Extension = ".bpd";

    /// <summary>The ending of the test split converted beside <c>NAME.bpd</c>: <c>NAME.test.bpd</c>.</summary>
    public const string TestExtension = ".test.bpd";

    /// <summary>The format version this code writes and reads.</summary>
    public const uint Version = 1;

    /// <summary>Bytes of the fixed part of the header, before the names.</summary>
    public const int FixedHeaderBytes = 64;

    /// <summary>The body starts at a multiple of this, so rows are cache-line aligned in a mapping.</summary>
    public const int BodyAlignment = 64;

    /// <summary>Element type code of float32 features (the only one so far).</summary>
    public const byte SingleElements = 1;

    /// <summary>Headers larger than this are refused before being read: no real name list needs more.</summary>
    public const int MaxHeaderBytes = 256 << 20;

    /// <summary>
    /// The first 8 bytes: "BPDATA" then CR LF, so a file mangled by a text-mode transfer is caught by the
    /// magic rather than by a checksum.
    /// </summary>
    public static ReadOnlySpan<byte> Magic => "BPDATA\r\n"u8;

    /// <summary>Whether <paramref name="path"/> names a dataset file: by its extension, else by its first bytes.</summary>
    /// <param name="path">An existing file.</param>
    public static bool IsBpd(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        Span<byte> start = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) == start.Length && start.SequenceEqual(Magic);
    }

    /// <summary>The test split's file beside a training split's: <c>NAME.bpd</c> → <c>NAME.test.bpd</c>.</summary>
    /// <param name="trainPath">The training split's file.</param>
    public static string TestPathFor(string trainPath)
    {
        ArgumentNullException.ThrowIfNull(trainPath);
        string stem = trainPath.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) ? trainPath[..^Extension.Length] : trainPath;
        return stem + TestExtension;
    }
}
