using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MessagePack;

namespace Backprop.Cluster.Wire;

/// <summary>
/// Writes a contract's fields with a <see cref="MessagePackWriter"/>. Strings and float payloads are
/// written here, header and payload together into one span of exactly their size: the float bytes go
/// from the sender's array to the output in one copy, and a writer over an exact-size array is never
/// asked for more room than the message has left.
/// </summary>
internal ref struct MessagePackSink : IWireSink
{
    private MessagePackWriter _writer;

    /// <summary>A sink writing to <paramref name="output"/>; call <see cref="Flush"/> at the end.</summary>
    /// <param name="output">Where the bytes go.</param>
    public MessagePackSink(IBufferWriter<byte> output)
    {
        _writer = new MessagePackWriter(output);
    }

    /// <inheritdoc />
    public void WriteArrayHeader(int count) => _writer.WriteArrayHeader(count);

    /// <inheritdoc />
    public void Write(long value) => _writer.Write(value);

    /// <inheritdoc />
    public void Write(ulong value) => _writer.Write(value);

    /// <inheritdoc />
    public void Write(bool value) => _writer.Write(value);

    /// <inheritdoc />
    public void Write(double value) => _writer.Write(value);

    /// <inheritdoc />
    public void Write(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int byteCount = WireText.Utf8.GetByteCount(value);
        int header = WireSizeCounter.StringHeaderSize(byteCount);
        Span<byte> span = _writer.GetSpan(header + byteCount);
        switch (header)
        {
            case 1:
                span[0] = (byte)(MessagePackCode.MinFixStr | byteCount);
                break;
            case 2:
                span[0] = MessagePackCode.Str8;
                span[1] = (byte)byteCount;
                break;
            case 3:
                span[0] = MessagePackCode.Str16;
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)byteCount);
                break;
            default:
                span[0] = MessagePackCode.Str32;
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)byteCount);
                break;
        }

        WireText.Utf8.GetBytes(value, span.Slice(header, byteCount));
        _writer.Advance(header + byteCount);
    }

    /// <inheritdoc />
    public void WriteFloats(ReadOnlySpan<float> values)
    {
        WireFormat.EnsureLittleEndian();
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        int header = WireSizeCounter.BinHeaderSize(bytes.Length);
        Span<byte> span = _writer.GetSpan(header + bytes.Length);
        switch (header)
        {
            case 2:
                span[0] = MessagePackCode.Bin8;
                span[1] = (byte)bytes.Length;
                break;
            case 3:
                span[0] = MessagePackCode.Bin16;
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)bytes.Length);
                break;
            default:
                span[0] = MessagePackCode.Bin32;
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)bytes.Length);
                break;
        }

        bytes.CopyTo(span[header..]);
        _writer.Advance(header + bytes.Length);
    }

    /// <summary>Commits what was written to the output.</summary>
    public void Flush() => _writer.Flush();
}
