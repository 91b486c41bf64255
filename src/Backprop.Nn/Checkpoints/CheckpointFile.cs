using System.Security.Cryptography;

namespace Backprop.Nn.Checkpoints;

/// <summary>
/// Writes and reads model and checkpoint files: one versioned container whose named sections the layers above
/// decide. A file is written atomically: a reader, or a run resumed after a crash, sees either the old file or
/// the new one, never half of one.
/// </summary>
/// <remarks>
/// Format version 1, all integers little-endian:
/// <code>
/// offset  size  field
/// 0       4     magic "BPNN" (42 50 4E 4E)
/// 4       2     format version, u16 (1)
/// 6       2     kind length k in bytes, u16 (at least 1)
/// 8       k     kind, UTF-8 ("model", "checkpoint": the caller chooses)
/// then each section, in the order it was added:
///         2     name length n in bytes, u16 (at least 1)
///         n     name, UTF-8, unique within the file
///         8     data length d in bytes, u64
///         d     data (floats, doubles and integers as raw little-endian values)
/// then the trailer:
///         2     0x0000: a name length of zero ends the sections (no section has an empty name)
///         4     section count, u32
///         8     CRC-64/ECMA-182 of every byte before this field, u64
/// </code>
/// Nothing in it depends on when, where or by whom it was written: the same content always gives the same bytes.
/// The checksum is a CRC rather than a faster hash because a CRC-64 is certain, not just likely, to catch any
/// damage confined to 64 consecutive bits (a flipped bit, a bad byte); at about 4 GB/s it costs little beside
/// the disk. Reading checks everything (structure, every declared length against the bytes left, checksum,
/// nothing after the trailer, kind) before returning, and reports each failure as a
/// <see cref="CheckpointFormatException"/> naming the file.
/// </remarks>
public static class CheckpointFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>
    /// Writes a file: to a temporary file beside <paramref name="path"/>, flushed to the disk, then renamed over
    /// <paramref name="path"/>. On any failure the temporary file is deleted and the previous file at
    /// <paramref name="path"/>, if any, is left as it was.
    /// </summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="kind">What the file is, e.g. <see cref="CheckpointKind.Checkpoint"/>; checked on read.</param>
    /// <param name="fill">
    /// Adds the sections. An exception it throws propagates unchanged after the clean-up, except an I/O error,
    /// which is reported as <see cref="CheckpointWriteException"/> like the writer's own.
    /// </param>
    /// <exception cref="CheckpointWriteException">The file could not be written; the message says why.</exception>
    /// <remarks>
    /// The rename is atomic, but the folder entry itself is not flushed (.NET has no portable way to sync a
    /// directory), so after a power cut the rename may be lost and the previous file found instead: still a
    /// whole file, just an older one.
    /// </remarks>
    public static void WriteAtomic(string path, string kind, Action<CheckpointWriter> fill)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(fill);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? fullPath;
        CheckTarget(path, fullPath, folder);

        // Beside the target so the rename stays on one file system (atomic); hidden, and random so two
        // writers of the same path never share a temporary file.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}.tmp");
        FileStream? stream = null;
        try
        {
            stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
            var writer = new CheckpointWriter(stream, kind);
            fill(writer);
            writer.Finish();
            stream.Flush(flushToDisk: true);
            stream.Dispose();
            stream = null;
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abandon(stream, temporary);
            throw new CheckpointWriteException(path, Describe(e, fullPath, folder), e);
        }
        catch
        {
            Abandon(stream, temporary);
            throw;
        }
    }

    /// <summary>The bytes <see cref="WriteAtomic"/> would write, in memory: a model to send in a message.</summary>
    /// <param name="kind">What the bytes are, e.g. <see cref="CheckpointKind.Model"/>.</param>
    /// <param name="fill">Adds the sections.</param>
    /// <returns>The encoded file.</returns>
    public static byte[] Bytes(string kind, Action<CheckpointWriter> fill)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(fill);
        using var stream = new MemoryStream();
        var writer = new CheckpointWriter(stream, kind);
        fill(writer);
        writer.Finish();
        return stream.ToArray();
    }

    /// <summary>Loads and verifies a whole file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedKind">The kind the caller needs; any other is an error.</param>
    /// <returns>The verified content.</returns>
    /// <exception cref="CheckpointFormatException">
    /// The file is missing, unreadable, empty, not a backprop file, from a newer format version, of another kind,
    /// truncated, corrupt or followed by trailing bytes; the message names the file and says which.
    /// </exception>
    public static CheckpointReader Read(string path, string expectedKind)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(expectedKind);
        if (Directory.Exists(path))
        {
            throw new CheckpointFormatException(path, $"'{path}' is a folder, not a model or checkpoint file.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointFormatException(path, $"'{path}' does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CheckpointFormatException(path, $"'{path}' cannot be read: permission denied.", e);
        }
        catch (IOException e)
        {
            throw new CheckpointFormatException(path, $"'{path}' cannot be read: {e.Message}", e);
        }

        using (stream)
        {
            return CheckpointParser.Parse(stream, path, expectedKind);
        }
    }

    /// <summary>Verifies and decodes bytes made by <see cref="Bytes"/> (or read from a file some other way).</summary>
    /// <param name="data">The encoded file.</param>
    /// <param name="sourceName">Where the bytes came from, for messages (e.g. "model from coordinator").</param>
    /// <param name="expectedKind">The kind the caller needs; any other is an error.</param>
    /// <returns>The verified content.</returns>
    /// <exception cref="CheckpointFormatException">As for <see cref="Read"/>.</exception>
    public static CheckpointReader Parse(byte[] data, string sourceName, string expectedKind)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        ArgumentException.ThrowIfNullOrEmpty(expectedKind);
        using var stream = new MemoryStream(data, writable: false);
        return CheckpointParser.Parse(stream, sourceName, expectedKind);
    }

    /// <summary>The failures that can be named before any byte is written, in words better than the OS's.</summary>
    private static void CheckTarget(string path, string fullPath, string folder)
    {
        if (Directory.Exists(fullPath))
        {
            throw new CheckpointWriteException(path, "it is a folder, not a file");
        }

        if (File.Exists(folder))
        {
            throw new CheckpointWriteException(path, $"'{folder}' is a file, not a folder");
        }

        if (!Directory.Exists(folder))
        {
            throw new CheckpointWriteException(path, $"the folder '{folder}' does not exist");
        }
    }

    private static string Describe(Exception error, string fullPath, string folder) => error switch
    {
        UnauthorizedAccessException => $"permission denied (the folder '{folder}' or the file is read-only, or belongs to another user)",
        DirectoryNotFoundException => $"the folder '{folder}' does not exist",
        PathTooLongException => "the path is too long",
        IOException when IsDiskFull(error) => $"the disk holding '{folder}' is full",
        IOException when IsReadOnlyFileSystem(error) => $"the file system holding '{folder}' is mounted read-only",
        IOException when Directory.Exists(fullPath) => "it is a folder, not a file",
        _ => error.Message.TrimEnd('.'),
    };

    /// <summary>ENOSPC (28) on Linux and macOS; ERROR_HANDLE_DISK_FULL (39) or ERROR_DISK_FULL (112) on Windows.</summary>
    private static bool IsDiskFull(Exception error) =>
        OperatingSystem.IsWindows() ? (error.HResult & 0xFFFF) is 39 or 112 : error.HResult == 28;

    /// <summary>
    /// EROFS (30) on Linux and macOS; ERROR_WRITE_PROTECT (19) on Windows. Named because the OS's own words would
    /// name the hidden temporary file rather than the folder, and unlike permissions it stops root too.
    /// </summary>
    private static bool IsReadOnlyFileSystem(Exception error) =>
        OperatingSystem.IsWindows() ? (error.HResult & 0xFFFF) == 19 : error.HResult == 30;

    /// <summary>Clean-up after a failure; its own errors must not hide the one being reported.</summary>
    private static void Abandon(FileStream? stream, string temporary)
    {
        try
        {
            stream?.Dispose();
        }
        catch (IOException)
        {
            // Flushing the rest of a file that is being thrown away failed: nothing to keep.
        }

        try
        {
            File.Delete(temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover hidden .tmp file is harmless; the caller's error matters more.
        }
    }
}
