namespace Backprop.Nn.Data;

/// <summary>
/// Read-only pass-through that first replays bytes already taken from the source (the sniffed magic),
/// and remembers the last 8 bytes that went through: a gzip file's trailer (CRC-32 and length), which
/// <see cref="System.IO.Compression.GZipStream"/> does not check when the data ends early.
/// </summary>
internal sealed class TailRecordingStream : Stream
{
    private const int TailLength = 8;

    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private readonly byte[] _tail = new byte[TailLength];
    private int _prefixPosition;
    private long _total;

    public TailRecordingStream(ReadOnlySpan<byte> prefix, Stream inner)
    {
        _prefix = prefix.ToArray();
        _inner = inner;
    }

    /// <summary>Bytes read from the source so far, prefix included.</summary>
    public long TotalRead => _total;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _total;
        set => throw new NotSupportedException();
    }

    /// <summary>The last 8 bytes read (fewer when less was read), oldest first.</summary>
    public byte[] Tail()
    {
        int length = (int)Math.Min(_total, TailLength);
        var result = new byte[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = _tail[(_total - length + i) % TailLength];
        }

        return result;
    }

    /// <summary>Reads the source to its end so that <see cref="Tail"/> is the file's last bytes.</summary>
    public void Drain()
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (Read(scratch) > 0)
        {
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        if (_prefixPosition < _prefix.Length)
        {
            read = Math.Min(buffer.Length, _prefix.Length - _prefixPosition);
            _prefix.AsSpan(_prefixPosition, read).CopyTo(buffer);
            _prefixPosition += read;
        }
        else
        {
            read = _inner.Read(buffer);
        }

        for (int i = Math.Max(0, read - TailLength); i < read; i++)
        {
            _tail[(_total + i) % TailLength] = buffer[i];
        }

        _total += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
