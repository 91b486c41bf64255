using System.Buffers;

namespace Backprop.Cluster.Wire;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over an array of exactly the message's size, so that Akka gets
/// the array it needs without a copy. <see cref="MessagePack.MessagePackWriter"/> asks for the worst
/// case of a scalar (9 bytes for an integer that may take 1); when that is more than the array has
/// left, the request gets a small bounce buffer, copied in on <see cref="Advance"/>. Writing more than
/// the array holds is a bug in the size count and throws.
/// </summary>
internal sealed class FixedBufferWriter : IBufferWriter<byte>
{
    private readonly byte[] _buffer;
    private byte[] _bounce = [];
    private bool _bouncing;

    /// <summary>A writer filling <paramref name="buffer"/> from its start.</summary>
    /// <param name="buffer">The destination; its length is the expected message size.</param>
    public FixedBufferWriter(byte[] buffer)
    {
        _buffer = buffer;
    }

    /// <summary>Bytes written so far.</summary>
    public int Written { get; private set; }

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - Written)
        {
            throw new InvalidOperationException(
                $"The message wrote more than the {_buffer.Length} bytes counted for it: the size count of its contract disagrees with its writer.");
        }

        if (_bouncing)
        {
            _bounce.AsSpan(0, count).CopyTo(_buffer.AsSpan(Written));
            _bouncing = false;
        }

        Written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int wanted = Math.Max(sizeHint, 1);
        if (_buffer.Length - Written >= wanted)
        {
            _bouncing = false;
            return _buffer.AsMemory(Written);
        }

        if (_bounce.Length < wanted)
        {
            _bounce = new byte[Math.Max(wanted, 16)];
        }

        _bouncing = true;
        return _bounce;
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
