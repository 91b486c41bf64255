using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Backprop.Nn.Checkpoints;

/// <summary>
/// Reads and verifies a whole file in the layout documented on <see cref="CheckpointFile"/>, front to back, hashing as it
/// goes. Every declared length is checked against the bytes that remain before anything is allocated, and the
/// loop advances at least two bytes a turn, so no input makes it allocate wildly or run forever.
/// </summary>
/// <remarks>
/// Checks run in the order that gives the truest message: the magic and version first (a newer version may
/// lay out everything after them differently), then the structure, then the checksum, then trailing bytes,
/// and the kind last, once the file is known to be intact. A damaged length field cannot be told apart from
/// a cut-off file before the checksum is reached, so it reads as truncation.
/// </remarks>
internal sealed class CheckpointParser
{
    private readonly Stream _stream;
    private readonly string _source;
    private readonly long _length;
    private readonly Crc64 _checksum = new();
    private long _position;

    private CheckpointParser(Stream stream, string sourceName)
    {
        _stream = stream;
        _source = sourceName;
        _length = stream.Length;
    }

    /// <summary>Parses the stream from its current position (0) to its end.</summary>
    public static CheckpointReader Parse(Stream stream, string sourceName, string expectedKind)
    {
        CheckpointFormat.EnsureLittleEndian();
        return new CheckpointParser(stream, sourceName).Parse(expectedKind);
    }

    private CheckpointReader Parse(string expectedKind)
    {
        if (_length == 0)
        {
            throw Error("is empty (0 bytes), not a backprop model or checkpoint.");
        }

        ReadMagic();
        int version = ReadUInt16("the format version");
        if (version > CheckpointFormat.Version)
        {
            throw Error(
                $"was written by a newer backprop: its format version is {version}, and this build reads format " +
                $"version {CheckpointFormat.Version} and older. Upgrade backprop to load it.");
        }

        if (version == 0)
        {
            throw Corrupt("its format version is 0, which no backprop writes");
        }

        int kindLength = ReadUInt16("the length of the kind");
        if (kindLength == 0)
        {
            throw Corrupt("the kind at byte 8 is empty");
        }

        string kind = ReadText(kindLength, "the kind");
        var names = new List<string>();
        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (true)
        {
            long start = _position;
            int nameLength = ReadUInt16($"the name length of section {names.Count + 1} (or the end marker)");
            if (nameLength == 0)
            {
                break;
            }

            string name = ReadText(nameLength, $"the name of section {names.Count + 1}");
            if (sections.ContainsKey(name))
            {
                throw Corrupt($"section '{name}' appears twice (again at byte {start})");
            }

            ulong dataLength = ReadUInt64($"the data length of section '{name}'", hash: true);
            sections.Add(name, ReadData(name, dataLength));
            names.Add(name);
        }

        uint count = ReadUInt32("the section count in the trailer");
        ulong computed = _checksum.GetCurrentHashAsUInt64();
        long checksumAt = _position;
        ulong stored = ReadUInt64("the checksum in the trailer", hash: false);
        if (stored != computed)
        {
            throw Corrupt($"checksum {stored:X16} in the trailer does not match {computed:X16}, computed over bytes 0 to {checksumAt - 1}");
        }

        if (count != names.Count)
        {
            throw Corrupt($"the trailer counts {count} sections but the file holds {names.Count}");
        }

        if (_position < _length)
        {
            throw Error(
                $"has {_length - _position} trailing bytes after its end at byte {_position}: " +
                "something was appended to it, or two files were joined.");
        }

        if (!string.Equals(kind, expectedKind, StringComparison.Ordinal))
        {
            throw Error($"is a {kind}, not a {expectedKind}.");
        }

        return new CheckpointReader(_source, kind, version, names, sections);
    }

    private void ReadMagic()
    {
        ReadOnlySpan<byte> magic = CheckpointFormat.Magic;
        Span<byte> first = stackalloc byte[magic.Length];
        int got = ReadSome(first);
        first = first[..got];
        _checksum.Append(first);
        if (!first.SequenceEqual(magic[..got]))
        {
            throw Error(
                $"is not a backprop file: it starts with the bytes {Hex(first)} (\"{Printable(first)}\") " +
                $"where a backprop model or checkpoint starts with {Hex(magic)} (\"BPNN\").");
        }

        if (got < magic.Length)
        {
            throw Truncated("the magic bytes", 0, magic.Length, got);
        }
    }

    private byte[] ReadData(string name, ulong dataLength)
    {
        long remaining = _length - _position;
        if (dataLength > (ulong)remaining)
        {
            throw Error(
                $"is truncated: section '{name}' declares {dataLength} bytes of data from byte {_position}, " +
                $"but only {remaining} bytes remain.");
        }

        if (dataLength > (ulong)Array.MaxLength)
        {
            throw Error($"has a section '{name}' of {dataLength} bytes, more than one section can hold in memory ({Array.MaxLength}).");
        }

        // Uninitialised is safe: ReadExactly fills every byte or throws.
        byte[] data = GC.AllocateUninitializedArray<byte>((int)dataLength);
        ReadExactly(data, $"the data of section '{name}'", hash: true);
        return data;
    }

    private string ReadText(int length, string what)
    {
        long at = _position;
        byte[] bytes = new byte[length];
        ReadExactly(bytes, what, hash: true);
        try
        {
            return CheckpointFormat.Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt($"{what} at byte {at} is not valid UTF-8");
        }
    }

    private int ReadUInt16(string what)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ushort)];
        ReadExactly(bytes, what, hash: true);
        return BinaryPrimitives.ReadUInt16LittleEndian(bytes);
    }

    private uint ReadUInt32(string what)
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        ReadExactly(bytes, what, hash: true);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    private ulong ReadUInt64(string what, bool hash)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        ReadExactly(bytes, what, hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    private void ReadExactly(Span<byte> buffer, string what, bool hash)
    {
        long at = _position;
        int got = ReadSome(buffer);
        if (got < buffer.Length)
        {
            throw Truncated(what, at, buffer.Length, got);
        }

        if (hash)
        {
            _checksum.Append(buffer);
        }
    }

    /// <summary>Fills as much of <paramref name="buffer"/> as the stream still holds; the count read.</summary>
    private int ReadSome(Span<byte> buffer)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int read;
            try
            {
                read = _stream.Read(buffer[got..]);
            }
            catch (IOException e)
            {
                throw new CheckpointFormatException(_source, $"'{_source}' could not be read at byte {_position}: {e.Message}", e);
            }

            if (read == 0)
            {
                break;
            }

            got += read;
            _position += read;
        }

        return got;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => string.Join(' ', bytes.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'"' ? (char)b : '.');
        }

        return text.ToString();
    }

    private CheckpointFormatException Truncated(string what, long at, int expected, int present) =>
        Error($"is truncated: it ends at byte {at + present}, in {what} at byte {at}, where {expected} bytes were expected and {present} are present.");

    private CheckpointFormatException Corrupt(string problem) => Error($"is corrupt: {problem}.");

    private CheckpointFormatException Error(string problem) => new(_source, $"'{_source}' {problem}");
}
