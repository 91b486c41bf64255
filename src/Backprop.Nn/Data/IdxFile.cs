using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Backprop.Nn.Data;

/// <summary>
/// One IDX file (the MNIST format), raw or gzip-compressed: a big-endian header — magic
/// <c>00 00 TYPE DIMS</c>, then one 32-bit size per dimension — followed by the elements.
/// Only unsigned bytes (type 0x08) are read; every deviation is a <see cref="DataFormatException"/>.
/// </summary>
internal sealed class IdxFile
{
    private const byte UnsignedByte = 0x08;
    private const int InitialBuffer = 1 << 20;

    private IdxFile(int[] dimensions, byte[] data)
    {
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>Sizes from the header, outermost (the item count) first.</summary>
    public int[] Dimensions { get; }

    /// <summary>The elements after the header, exactly as many as the dimensions announce.</summary>
    public byte[] Data { get; }

    /// <summary>Header length in bytes for <paramref name="dimensions"/> dimensions.</summary>
    public static int HeaderLength(int dimensions) => 4 + (4 * dimensions);

    /// <summary>True when the first bytes are a gzip member or an IDX unsigned-byte magic number.</summary>
    public static bool LooksLikeIdx(ReadOnlySpan<byte> start) =>
        // Every IDX magic begins with two zero bytes, which no text file does: anything that starts so is
        // read as IDX, and the reader then says precisely what is wrong with its element type or dimensions.
        start.Length >= 4 && (IsGzip(start) || (start[0] == 0 && start[1] == 0));

    /// <summary>Reads a whole IDX file of unsigned bytes with <paramref name="dimensionCount"/> dimensions.</summary>
    /// <param name="stream">The file's bytes from the start; gzip is detected by its 1F 8B magic.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="dimensionCount">3 for images, 1 for labels.</param>
    public static IdxFile Read(Stream stream, string path, int dimensionCount)
    {
        Span<byte> sniff = stackalloc byte[2];
        int sniffed = stream.ReadAtLeast(sniff, 2, throwOnEndOfStream: false);
        var source = new TailRecordingStream(sniff[..sniffed], stream);
        bool gzip = IsGzip(sniff[..sniffed]);
        try
        {
            using var input = gzip ? new GZipStream(source, CompressionMode.Decompress, leaveOpen: true) : (Stream)source;
            return Read(input, source, gzip, path, dimensionCount);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(
                path, "", $"the gzip data is corrupt ({e.Message}); expected a gzip-compressed IDX file.", e);
        }
    }

    private static IdxFile Read(Stream input, TailRecordingStream source, bool gzip, string path, int dimensionCount)
    {
        int headerLength = HeaderLength(dimensionCount);
        var header = new byte[headerLength];
        int got = input.ReadAtLeast(header.AsSpan(0, 4), 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw new DataFormatException(path, "byte 0", got == 0
                ? $"the file is empty; expected an IDX file starting with the magic number {ExpectedMagic(dimensionCount)}."
                : $"the file ends after {got} bytes, inside the magic number; expected {ExpectedMagic(dimensionCount)}.");
        }

        CheckMagic(header, path, dimensionCount);
        got = input.ReadAtLeast(header.AsSpan(4), headerLength - 4, throwOnEndOfStream: false);
        if (got < headerLength - 4)
        {
            throw new DataFormatException(path, $"byte {4 + got}",
                $"the file ends after {4 + got} bytes, inside the IDX header; expected {headerLength} header bytes " +
                $"(magic number and {dimensionCount} dimension size{(dimensionCount == 1 ? "" : "s")}).");
        }

        var dimensions = new int[dimensionCount];
        long expected = 1;
        for (int d = 0; d < dimensionCount; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 + (4 * d)));
            if (size > int.MaxValue || (size == 0 && d > 0))
            {
                throw new DataFormatException(path, $"byte {4 + (4 * d)}",
                    $"dimension {d} ({DimensionName(dimensionCount, d)}) has size {size}; expected 1 to {int.MaxValue}" +
                    $"{(d == 0 ? " (0 for an empty file)" : "")}.");
            }

            dimensions[d] = (int)size;
            expected *= size;
            if (expected > Array.MaxLength)
            {
                throw new DataFormatException(path, "byte 4",
                    $"the header announces {Describe(dimensions[..(d + 1)], dimensionCount)}, more than {Array.MaxLength} bytes of data; " +
                    "expected a smaller file.");
            }
        }

        var data = ReadData(input, (int)expected, out long found);
        if (found != expected)
        {
            string counts = $"expected {expected} bytes of data after the header ({Describe(dimensions, dimensionCount)}), found {found}";
            if (found < expected && gzip && !GzipTrailerMatches(source, header, data, found))
            {
                throw new DataFormatException(path, $"byte {headerLength}",
                    $"the gzip data is truncated: it ends before its end-of-stream marker ({counts}); the file was cut short.");
            }

            throw new DataFormatException(path, $"byte {headerLength}", found < expected
                ? $"the file is shorter than its header says: {counts}."
                : $"the file is longer than its header says: {counts}, {found - expected} bytes too many.");
        }

        return new IdxFile(dimensions, data);
    }

    private static void CheckMagic(ReadOnlySpan<byte> magic, string path, int dimensionCount)
    {
        uint found = BinaryPrimitives.ReadUInt32BigEndian(magic);
        if (found == (uint)(0x0800 | dimensionCount))
        {
            return;
        }

        string expected = ExpectedMagic(dimensionCount);
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new DataFormatException(path, "byte 0",
                $"not an IDX file: it starts with 0x{found:X8}; expected the magic number {expected}.");
        }

        if (magic[2] != UnsignedByte)
        {
            throw new DataFormatException(path, "byte 2",
                $"the magic number 0x{found:X8} declares element type 0x{magic[2]:X2} ({ElementTypeName(magic[2])}), " +
                $"which is not supported; expected 0x08 (unsigned byte): the magic number {expected}.");
        }

        string hint = magic[3] switch
        {
            1 when dimensionCount == 3 => " (this looks like a labels file, not an images file)",
            3 when dimensionCount == 1 => " (this looks like an images file, not a labels file)",
            _ => "",
        };
        throw new DataFormatException(path, "byte 3",
            $"the magic number 0x{found:X8} declares {magic[3]} dimension{(magic[3] == 1 ? "" : "s")}{hint}; " +
            $"expected {dimensionCount}: the magic number {expected}.");
    }

    // The header's claim is validated before this, but a lying header must not make us allocate
    // gigabytes up front: the buffer grows as data actually arrives.
    private static byte[] ReadData(Stream input, int expected, out long found)
    {
        var buffer = new byte[Math.Min(expected, InitialBuffer)];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled == expected)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(expected, Math.Max(2L * buffer.Length, InitialBuffer)));
            }

            int read = input.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                found = filled;
                return buffer;
            }

            filled += read;
        }

        found = expected;
        Span<byte> scratch = stackalloc byte[4096];
        for (int read; (read = input.Read(scratch)) > 0;)
        {
            found += read;
        }

        return buffer;
    }

    // GZipStream stops without an error when a gzip file is cut short. An intact member ends with the
    // CRC-32 and length (mod 2^32) of what it decompressed to: if those match, the data really is short.
    private static bool GzipTrailerMatches(TailRecordingStream source, byte[] header, byte[] data, long found)
    {
        source.Drain();
        var tail = source.Tail();
        if (tail.Length < 8)
        {
            return false;
        }

        var crc = new Crc32();
        crc.Append(header);
        crc.Append(data.AsSpan(0, (int)found));
        uint length = unchecked((uint)(header.Length + found));
        return BinaryPrimitives.ReadUInt32LittleEndian(tail) == crc.GetCurrentHashAsUInt32()
            && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(4)) == length;
    }

    private static bool IsGzip(ReadOnlySpan<byte> start) => start.Length >= 2 && start[0] == 0x1F && start[1] == 0x8B;

    private static string ExpectedMagic(int dimensionCount) => dimensionCount == 3
        ? "0x00000803 (unsigned-byte images: count, rows, columns)"
        : $"0x{0x0800 | dimensionCount:X8} (unsigned-byte labels: count)";

    private static string DimensionName(int dimensionCount, int d) => (dimensionCount, d) switch
    {
        (3, 0) => "images",
        (3, 1) => "rows",
        (3, 2) => "columns",
        _ => "labels",
    };

    private static string Describe(int[] dimensions, int dimensionCount) => (dimensionCount, dimensions.Length) switch
    {
        (3, 3) => $"{dimensions[0]} images of {dimensions[1]}×{dimensions[2]} pixels",
        (3, _) => $"{string.Join("×", dimensions)} images×rows×columns",
        _ => $"{dimensions[0]} labels",
    };

    private static string ElementTypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not an IDX type",
    };
}
