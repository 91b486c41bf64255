using System.Buffers.Binary;
using System.IO.Compression;

namespace Backprop.Nn.Tests.Data;

/// <summary>Builds IDX files byte by byte, valid or deliberately broken.</summary>
public static class IdxBytes
{
    public const uint ImagesMagic = 0x00000803;
    public const uint LabelsMagic = 0x00000801;

    public static byte[] Header(uint magic, params uint[] sizes)
    {
        var header = new byte[4 + (4 * sizes.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(header, magic);
        for (int i = 0; i < sizes.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4 + (4 * i)), sizes[i]);
        }

        return header;
    }

    /// <summary>An images file whose pixel i of image n is (n·31 + i) mod 256.</summary>
    public static byte[] Images(int count, int rows, int columns)
    {
        var pixels = new byte[count * rows * columns];
        for (int n = 0; n < count; n++)
        {
            for (int i = 0; i < rows * columns; i++)
            {
                pixels[(n * rows * columns) + i] = (byte)(((n * 31) + i) % 256);
            }
        }

        return [.. Header(ImagesMagic, (uint)count, (uint)rows, (uint)columns), .. pixels];
    }

    public static byte[] Labels(params byte[] labels) => [.. Header(LabelsMagic, (uint)labels.Length), .. labels];

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}
