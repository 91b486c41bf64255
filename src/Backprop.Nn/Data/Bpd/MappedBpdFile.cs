using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Backprop.Nn.Data.Bpd;

/// <summary>
/// A <c>.bpd</c> file mapped read-only into memory, its header checked on open. The rows are read in
/// place from the mapping (the page cache), never through a stream.
/// </summary>
internal sealed unsafe class MappedBpdFile : IDisposable
{
    // Spans are int-sized: hash and copy large bodies in pieces of this many bytes.
    private const int Chunk = 1 << 30;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;

    // Where row 0 starts and the row count and width, fixed at open: the header's derived lengths are
    // recomputed from the names on every call, too slow for once per row.
    private float* _rows;
    private long _rowCount;
    private int _featureCount;

    private MappedBpdFile(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, byte* start, long length)
    {
        Path = path;
        _file = file;
        _view = view;
        _start = start;
        Length = length;
    }

    /// <summary>The file, for messages.</summary>
    public string Path { get; }

    /// <summary>The file's size in bytes.</summary>
    public long Length { get; }

    /// <summary>The checked header.</summary>
    public BpdHeader Header { get; private set; } = null!;

    /// <summary>Maps the file and checks its header.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The header is wrong, corrupt, or disagrees with the file's size.</exception>
    public static MappedBpdFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file; expected a dataset written by 'backprop data convert'.", path);
        }

        long length = new FileInfo(path).Length;
        if (length < BpdFormat.FixedHeaderBytes)
        {
            // An empty file cannot be mapped at all; a short one is judged from its bytes.
            var bytes = File.ReadAllBytes(path).AsSpan();
            Span<byte> padded = stackalloc byte[BpdFormat.FixedHeaderBytes];
            bytes.CopyTo(padded);
            BpdHeaderParser.HeaderLength(path, padded, bytes.Length);
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            var mapped = new MappedBpdFile(path, file, view, start + view.PointerOffset, length);
            try
            {
                int headerLength = BpdHeaderParser.HeaderLength(path, mapped.Bytes(0, BpdFormat.FixedHeaderBytes), length);
                var header = BpdHeaderParser.Parse(path, mapped.Bytes(0, headerLength), length);
                mapped.Header = header;
                mapped._rows = (float*)(mapped._start + header.BodyOffset);
                mapped._rowCount = header.RowCount;
                mapped._featureCount = header.FeatureCount;
                return mapped;
            }
            catch
            {
                mapped.Dispose();
                throw;
            }
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>Hashes the body and compares it with the header's checksum.</summary>
    /// <exception cref="DataFormatException">The body is corrupt.</exception>
    public void VerifyBody()
    {
        var hash = new XxHash64();
        for (long at = 0; at < Header.BodyLength; at += Chunk)
        {
            hash.Append(Bytes(Header.BodyOffset + at, (int)Math.Min(Chunk, Header.BodyLength - at)));
        }

        ulong actual = hash.GetCurrentHashAsUInt64();
        if (actual != Header.BodyChecksum)
        {
            throw new DataFormatException(Path, $"byte {Header.BodyOffset}",
                $"the body checksum is {Header.BodyChecksum:x16} but the rows hash to {actual:x16}: the data is corrupt.");
        }
    }

    /// <summary>Copies every feature, row-major, into <paramref name="destination"/>.</summary>
    public void CopyFeatures(Span<float> destination) => Copy(Header.BodyOffset, MemoryMarshal.AsBytes(destination));

    /// <summary>Copies every label (classification) into <paramref name="destination"/>.</summary>
    public void CopyLabels(Span<int> destination) => Copy(Header.BodyOffset + Header.FeatureBytes, MemoryMarshal.AsBytes(destination));

    /// <summary>Copies every target (regression), row-major, into <paramref name="destination"/>.</summary>
    public void CopyTargets(Span<float> destination) => Copy(Header.BodyOffset + Header.FeatureBytes, MemoryMarshal.AsBytes(destination));

    /// <summary>The raw features of row <paramref name="index"/>, in place in the mapping; valid until disposed.</summary>
    /// <param name="index">In [0, RowCount).</param>
    public ReadOnlySpan<float> FeatureRow(long index)
    {
        if ((ulong)index >= (ulong)_rowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{Path}: row index is outside [0, {_rowCount}).");
        }

        return new ReadOnlySpan<float>(_rows + (index * _featureCount), _featureCount);
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private void Copy(long offset, Span<byte> destination)
    {
        for (int at = 0; at < destination.Length; at += Chunk)
        {
            int count = Math.Min(Chunk, destination.Length - at);
            Bytes(offset + at, count).CopyTo(destination.Slice(at, count));
        }
    }

    private ReadOnlySpan<byte> Bytes(long offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + count, Length);
        return new ReadOnlySpan<byte>(_start + offset, count);
    }
}
