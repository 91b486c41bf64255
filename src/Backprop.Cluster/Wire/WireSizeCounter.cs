using System.Runtime.InteropServices;
using MessagePack;

namespace Backprop.Cluster.Wire;

/// <summary>
/// Counts the bytes a contract would write, by the rules <see cref="MessagePackWriter"/> uses to pick
/// the smallest encoding (its own <see cref="MessagePackWriter.GetEncodedLength(long)"/> for integers),
/// without writing anything: the sender can check the size of every
/// slice before it sends, for the price of a few comparisons.
/// </summary>
internal struct WireSizeCounter : IWireSink
{
    /// <summary>Bytes counted so far.</summary>
    public long Bytes { readonly get; private set; }

    /// <inheritdoc />
    public void WriteArrayHeader(int count) => Bytes += count switch
    {
        <= 15 => 1,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    /// <inheritdoc />
    public void Write(long value) => Bytes += MessagePackWriter.GetEncodedLength(value);

    /// <inheritdoc />
    public void Write(ulong value) => Bytes += MessagePackWriter.GetEncodedLength(value);

    /// <inheritdoc />
    public void Write(bool value) => Bytes += 1;

    /// <inheritdoc />
    public void Write(double value) => Bytes += 9;

    /// <inheritdoc />
    public void Write(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int byteCount = WireText.Utf8.GetByteCount(value);
        Bytes += StringHeaderSize(byteCount) + byteCount;
    }

    /// <inheritdoc />
    public void WriteFloats(ReadOnlySpan<float> values)
    {
        Bin(MemoryMarshal.AsBytes(values).Length);
    }

    /// <inheritdoc />
    public void WriteBFloat16(ReadOnlySpan<float> values) => Bin(values.Length * sizeof(ushort));

    /// <inheritdoc />
    public void WriteFloat16(ReadOnlySpan<float> values) => Bin(values.Length * sizeof(ushort));

    /// <inheritdoc />
    public void WriteGathered(ReadOnlySpan<float> values, ReadOnlySpan<int> indices) => Bin(indices.Length * sizeof(float));

    /// <inheritdoc />
    public void WriteInt32s(ReadOnlySpan<int> values) => Bin(values.Length * sizeof(int));

    /// <summary>Bytes of the <c>str</c> header for a UTF-8 payload of <paramref name="byteCount"/> bytes.</summary>
    /// <param name="byteCount">Payload bytes.</param>
    public static int StringHeaderSize(int byteCount) => byteCount switch
    {
        <= 31 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    private void Bin(int byteCount) => Bytes += BinHeaderSize(byteCount) + byteCount;

    /// <summary>Bytes of the <c>bin</c> header for a payload of <paramref name="byteCount"/> bytes.</summary>
    /// <param name="byteCount">Payload bytes.</param>
    public static int BinHeaderSize(int byteCount) => byteCount switch
    {
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };
}
