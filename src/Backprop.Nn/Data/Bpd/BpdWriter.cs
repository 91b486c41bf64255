using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Backprop.Nn.Data.Bpd;

/// <summary>Writes a dataset as a <c>.bpd</c> file, atomically: a temporary file beside it, flushed, then renamed.</summary>
public static class BpdWriter
{
    /// <summary>Writes <paramref name="data"/>'s raw rows, names and shape to <paramref name="path"/>.</summary>
    /// <param name="data">The dataset, features as read (unscaled).</param>
    /// <param name="path">The file to write.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <exception cref="OutputExistsException">The file exists and <paramref name="overwrite"/> is false, or the write failed.</exception>
    public static void Write(Dataset data, string path, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian)
        {
            // The body is the arrays' bytes as they are in memory; swapping per element is not worth it for hosts we do not run on.
            throw new PlatformNotSupportedException(".bpd files are little-endian; this host is big-endian.");
        }

        var tail = data.Task == TaskKind.Classification
            ? MemoryMarshal.AsBytes(data.Labels.AsSpan())
            : MemoryMarshal.AsBytes(data.Targets.AsSpan());
        var hash = new XxHash64();
        ForEachFeatureBlock(data, hash.Append);
        hash.Append(tail);
        var header = new BpdHeader(
            data.Task, data.Count, data.FeatureCount, data.TargetCount, data.FeatureNames, data.ClassNames, hash.GetCurrentHashAsUInt64());

        string full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
        {
            throw new OutputExistsException(path);
        }

        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(header.Encode());
                ForEachFeatureBlock(data, stream.Write);
                stream.Write(tail);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // The features as bytes: the whole array in memory, or row by row from a mapped dataset (converting
    // a .bpd file again), which never holds more than one row.
    private static void ForEachFeatureBlock(Dataset data, ReadOnlySpanAction<byte> action)
    {
        if (!data.IsMapped)
        {
            action(MemoryMarshal.AsBytes(data.Features.AsSpan()));
            return;
        }

        var row = new float[data.FeatureCount];
        for (int i = 0; i < data.Count; i++)
        {
            data.CopyRow(i, row);
            action(MemoryMarshal.AsBytes(row.AsSpan()));
        }
    }

    private delegate void ReadOnlySpanAction<T>(ReadOnlySpan<T> span);
}
