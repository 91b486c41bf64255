using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Backprop.Nn.Data.Bpd;

/// <summary>
/// Reads and checks a <see cref="BpdHeader"/> from the start of a file: magic, version, lengths against
/// the file's size, then the header checksum, and only then the names. Every refusal names the file,
/// the byte and what was expected.
/// </summary>
internal static class BpdHeaderParser
{
    /// <summary>The header length the fixed part declares, checked against the file's size.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="start">The file's first bytes, at least <see cref="BpdFormat.FixedHeaderBytes"/> where the file has them.</param>
    /// <param name="fileLength">The file's size in bytes.</param>
    public static int HeaderLength(string path, ReadOnlySpan<byte> start, long fileLength)
    {
        if (fileLength < BpdFormat.Magic.Length || !start[..BpdFormat.Magic.Length].SequenceEqual(BpdFormat.Magic))
        {
            string found = fileLength == 0 ? "an empty file" : $"bytes {Convert.ToHexString(start[..(int)Math.Min(8, fileLength)])}";
            throw new DataFormatException(path, "byte 0",
                $"found {found}; expected the .bpd magic \"BPDATA\\r\\n\" (hex 4250444154410D0A). Is it a dataset written by 'backprop data convert'?");
        }

        if (fileLength < BpdFormat.FixedHeaderBytes)
        {
            throw new DataFormatException(path, "",
                $"the file is truncated: {fileLength} bytes, shorter than the {BpdFormat.FixedHeaderBytes}-byte fixed header.");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(start[8..]);
        if (version != BpdFormat.Version)
        {
            throw new DataFormatException(path, "byte 8",
                $"format version {version}; this build reads version {BpdFormat.Version}. Convert the source data again with this build.");
        }

        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(start[12..]);
        if (headerLength < BpdFormat.FixedHeaderBytes + sizeof(ulong) || headerLength > BpdFormat.MaxHeaderBytes)
        {
            throw new DataFormatException(path, "byte 12",
                $"header length {headerLength}; expected {BpdFormat.FixedHeaderBytes + sizeof(ulong)} to {BpdFormat.MaxHeaderBytes} bytes.");
        }

        if (headerLength > fileLength)
        {
            throw new DataFormatException(path, "",
                $"the file is truncated: {fileLength} bytes, but its header alone is {headerLength}.");
        }

        return headerLength;
    }

    /// <summary>Checks the header checksum, then decodes the header and checks the body's extent against the file.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="header">The file's first <see cref="HeaderLength"/> bytes.</param>
    /// <param name="fileLength">The file's size in bytes.</param>
    public static BpdHeader Parse(string path, ReadOnlySpan<byte> header, long fileLength)
    {
        int checksumAt = header.Length - sizeof(ulong);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(header[checksumAt..]);
        ulong actual = XxHash64.HashToUInt64(header[..checksumAt]);
        if (stored != actual)
        {
            throw new DataFormatException(path, $"byte {checksumAt}",
                $"the header checksum is {stored:x16} but the header hashes to {actual:x16}: the header is corrupt.");
        }

        var task = header[16] switch
        {
            1 => TaskKind.Classification,
            2 => TaskKind.Regression,
            _ => throw new DataFormatException(path, "byte 16", $"task code {header[16]}; expected 1 (classification) or 2 (regression)."),
        };
        if (header[17] != BpdFormat.SingleElements)
        {
            throw new DataFormatException(path, "byte 17", $"element type {header[17]}; expected {BpdFormat.SingleElements} (float32).");
        }

        int featureCount = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        long rows = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        int targetCount = BinaryPrimitives.ReadInt32LittleEndian(header[32..]);
        int classCount = BinaryPrimitives.ReadInt32LittleEndian(header[36..]);
        bool classification = task == TaskKind.Classification;
        if (featureCount < 1 || rows < 0 || (classification ? classCount < 1 || targetCount != 0 : targetCount < 1 || classCount != 0))
        {
            throw new DataFormatException(path, "byte 20",
                $"{rows} rows, {featureCount} features, {targetCount} targets, {classCount} classes: not a valid {task} shape.");
        }

        int at = BpdFormat.FixedHeaderBytes;
        var featureNames = Names(path, header[..checksumAt], ref at, featureCount, "feature");
        var classNames = Names(path, header[..checksumAt], ref at, classCount, "class");
        if (at != checksumAt)
        {
            throw new DataFormatException(path, $"byte {at}", $"{checksumAt - at} bytes after the names; expected the header checksum.");
        }

        var decoded = new BpdHeader(task, rows, featureCount, targetCount, featureNames, classNames,
            BinaryPrimitives.ReadUInt64LittleEndian(header[56..]));
        CheckExtent(path, decoded, header, fileLength);
        return decoded;
    }

    private static void CheckExtent(string path, BpdHeader decoded, ReadOnlySpan<byte> header, long fileLength)
    {
        long bodyOffset = BinaryPrimitives.ReadInt64LittleEndian(header[40..]);
        long bodyLength = BinaryPrimitives.ReadInt64LittleEndian(header[48..]);
        if (bodyOffset != decoded.BodyOffset || bodyLength != decoded.BodyLength)
        {
            throw new DataFormatException(path, "byte 40",
                $"the body is declared at {bodyOffset} for {bodyLength} bytes; the shape needs it at {decoded.BodyOffset} for {decoded.BodyLength}.");
        }

        long expected = bodyOffset + bodyLength;
        if (fileLength != expected)
        {
            string problem = fileLength < expected ? "is truncated" : "has trailing bytes";
            throw new DataFormatException(path, "",
                $"the file {problem}: {fileLength} bytes, but its header describes {expected} " +
                $"({decoded.RowCount} rows of {decoded.FeatureCount} features).");
        }
    }

    private static string[] Names(string path, ReadOnlySpan<byte> header, ref int at, int count, string what)
    {
        var names = new string[count];
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (int i = 0; i < count; i++)
        {
            int length = at + sizeof(int) <= header.Length ? BinaryPrimitives.ReadInt32LittleEndian(header[at..]) : -1;
            if (length < 0 || length > header.Length - at - sizeof(int))
            {
                throw new DataFormatException(path, $"byte {at}", $"{what} name {i} does not fit in the header.");
            }

            try
            {
                names[i] = strict.GetString(header.Slice(at + sizeof(int), length));
            }
            catch (DecoderFallbackException e)
            {
                throw new DataFormatException(path, $"byte {at}", $"{what} name {i} is not UTF-8.", e);
            }

            at += sizeof(int) + length;
        }

        return names;
    }
}
