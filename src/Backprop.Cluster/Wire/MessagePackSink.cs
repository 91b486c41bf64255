using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Backprop.Numerics.Conversion;
using MessagePack;

namespace Backprop.Cluster.Wire;

/// <summary>
/// Writes a contract's fields with a <see cref="MessagePackWriter"/>. Strings and float payloads are
/// written here, header and payload together into one span of exactly their size: the float bytes go
/// from the sender's array to the output in one copy (or one conversion, for the 16-bit encodings),
/// and a writer over an exact-size array is never asked for more room than the message has left.
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
        bytes.CopyTo(BeginBin(bytes.Length));
        EndBin(bytes.Length);
    }

    /// <inheritdoc />
    public void WriteBFloat16(ReadOnlySpan<float> values)
    {
        // Rounded straight from the sender's floats into the output: no intermediate array.
        WireFormat.EnsureLittleEndian();
        int byteCount = values.Length * sizeof(ushort);
        HalfPrecision.ToBFloat16(values, MemoryMarshal.Cast<byte, ushort>(BeginBin(byteCount)));
        EndBin(byteCount);
    }

    /// <inheritdoc />
    public void WriteFloat16(ReadOnlySpan<float> values)
    {
        WireFormat.EnsureLittleEndian();
        int byteCount = values.Length * sizeof(ushort);
        HalfPrecision.ToHalf(values, MemoryMarshal.Cast<byte, Half>(BeginBin(byteCount)));
        EndBin(byteCount);
    }

    /// <inheritdoc />
    public void WriteGathered(ReadOnlySpan<float> values, ReadOnlySpan<int> indices)
    {
        WireFormat.EnsureLittleEndian();
        int byteCount = indices.Length * sizeof(float);
        Span<float> picked = MemoryMarshal.Cast<byte, float>(BeginBin(byteCount));
        for (int j = 0; j < indices.Length; j++)
        {
            picked[j] = values[indices[j]];
        }

        EndBin(byteCount);
    }

    /// <inheritdoc />
    public void WriteInt32s(ReadOnlySpan<int> values)
    {
        WireFormat.EnsureLittleEndian();
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        bytes.CopyTo(BeginBin(bytes.Length));
        EndBin(bytes.Length);
    }

    /// <summary>Commits what was written to the output.</summary>
    public void Flush() => _writer.Flush();

    // Writes a bin header for a payload of byteCount bytes and returns the room for the payload, right
    // after it in the same span; EndBin commits both once the caller has filled it.
    private Span<byte> BeginBin(int byteCount)
    {
        int header = WireSizeCounter.BinHeaderSize(byteCount);
        Span<byte> span = _writer.GetSpan(header + byteCount);
        switch (header)
        {
            case 2:
                span[0] = MessagePackCode.Bin8;
                span[1] = (byte)byteCount;
                break;
            case 3:
                span[0] = MessagePackCode.Bin16;
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)byteCount);
                break;
            default:
                span[0] = MessagePackCode.Bin32;
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)byteCount);
                break;
        }

        return span.Slice(header, byteCount);
    }

    private void EndBin(int byteCount) => _writer.Advance(WireSizeCounter.BinHeaderSize(byteCount) + byteCount);
}
