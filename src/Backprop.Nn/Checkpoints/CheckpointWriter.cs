using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Nn.Checkpoints;

/// <summary>
/// Adds named sections to a model or checkpoint file (layout on <see cref="CheckpointFile"/>). Each section
/// goes straight to the underlying stream, so a large parameter buffer is never copied; get one from
/// <see cref="CheckpointFile.WriteAtomic"/> or <see cref="CheckpointFile.Bytes"/>.
/// </summary>
public sealed class CheckpointWriter
{
    private readonly Stream _stream;
    private readonly Crc64 _checksum = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private bool _finished;

    /// <summary>Writes the header to <paramref name="stream"/>.</summary>
    internal CheckpointWriter(Stream stream, string kind)
    {
        CheckpointFormat.EnsureLittleEndian();
        _stream = stream;
        byte[] kindBytes = EncodeKind(kind);
        WriteRaw(CheckpointFormat.Magic);
        WriteUInt16(CheckpointFormat.Version);
        WriteUInt16(kindBytes.Length);
        WriteRaw(kindBytes);
    }

    /// <summary>Sections added so far.</summary>
    public int SectionCount => _names.Count;

    /// <summary>Adds a section of raw bytes.</summary>
    /// <param name="name">The section's name: non-empty, unique in the file, at most 65535 bytes of UTF-8.</param>
    /// <param name="data">The bytes, stored as they are.</param>
    /// <exception cref="ArgumentException">The name is empty, too long, not encodable or already used.</exception>
    public void Add(string name, ReadOnlySpan<byte> data)
    {
        byte[] nameBytes = EncodeName(name);
        WriteUInt16(nameBytes.Length);
        WriteRaw(nameBytes);
        Span<byte> length = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)data.Length);
        WriteRaw(length);
        WriteRaw(data);
        _names.Add(name);
    }

    /// <summary>Adds floats as raw little-endian IEEE 754 singles, 4 bytes each.</summary>
    /// <param name="name">The section's name (see <see cref="Add"/>).</param>
    /// <param name="values">The values.</param>
    public void AddFloats(string name, ReadOnlySpan<float> values) => Add(name, MemoryMarshal.AsBytes(values));

    /// <summary>Adds doubles as raw little-endian IEEE 754 doubles, 8 bytes each.</summary>
    /// <param name="name">The section's name (see <see cref="Add"/>).</param>
    /// <param name="values">The values.</param>
    public void AddDoubles(string name, ReadOnlySpan<double> values) => Add(name, MemoryMarshal.AsBytes(values));

    /// <summary>Adds 32-bit integers, little-endian, 4 bytes each.</summary>
    /// <param name="name">The section's name (see <see cref="Add"/>).</param>
    /// <param name="values">The values.</param>
    public void AddInt32s(string name, ReadOnlySpan<int> values) => Add(name, MemoryMarshal.AsBytes(values));

    /// <summary>Adds one 64-bit integer, little-endian, 8 bytes.</summary>
    /// <param name="name">The section's name (see <see cref="Add"/>).</param>
    /// <param name="value">The value.</param>
    public void AddInt64(string name, long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Add(name, bytes);
    }

    /// <summary>Adds a string as UTF-8 without a byte order mark.</summary>
    /// <param name="name">The section's name (see <see cref="Add"/>).</param>
    /// <param name="value">The text; a lone surrogate is refused rather than replaced.</param>
    public void AddString(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Encoded before anything is written, so a refused value leaves the file as it was.
        byte[] bytes = EncodeText(value, $"text of section '{name}'", nameof(value));
        Add(name, bytes);
    }

    /// <summary>Writes the trailer; the writer accepts nothing after it.</summary>
    internal void Finish()
    {
        EnsureOpen();
        WriteUInt16(0);
        Span<byte> count = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32LittleEndian(count, (uint)_names.Count);
        WriteRaw(count);
        Span<byte> checksum = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, _checksum.GetCurrentHashAsUInt64());
        _stream.Write(checksum);
        _finished = true;
    }

    private static byte[] EncodeKind(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        byte[] bytes = EncodeText(kind, "kind", nameof(kind));
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"The kind is {bytes.Length} bytes of UTF-8; at most {ushort.MaxValue} fit.", nameof(kind));
        }

        return bytes;
    }

    private static byte[] EncodeText(string text, string what, string parameter)
    {
        try
        {
            return CheckpointFormat.Utf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The {what} is not valid Unicode: it has a lone surrogate.", parameter, e);
        }
    }

    /// <summary>Checks the name completely before any byte of the section is written.</summary>
    private byte[] EncodeName(string name)
    {
        EnsureOpen();
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_names.Contains(name))
        {
            throw new ArgumentException($"A section named '{name}' was already added; section names must be unique.", nameof(name));
        }

        byte[] bytes = EncodeText(name, "section name", nameof(name));
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"The section name is {bytes.Length} bytes of UTF-8; at most {ushort.MaxValue} fit.", nameof(name));
        }

        return bytes;
    }

    private void EnsureOpen()
    {
        if (_finished)
        {
            throw new InvalidOperationException("The file is already complete: add sections inside the fill action only.");
        }
    }

    private void WriteUInt16(int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ushort)];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        WriteRaw(bytes);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        _checksum.Append(bytes);
    }
}
