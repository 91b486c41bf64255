using System.Buffers;
using MessagePack;

namespace Backprop.Cluster.Tests.Wire;

/// <summary>Hand-built MessagePack bytes, for inputs our own writer refuses to produce.</summary>
internal static class RawWire
{
    /// <summary>A <c>Weights</c> message ("w") whose slice fields and value bytes are as given.</summary>
    public static byte[] Weights(int totalLength, int offset, int count, byte[] values) => Write((ref MessagePackWriter writer) =>
    {
        WriteWeightsHeader(ref writer);
        writer.WriteArrayHeader(4);
        writer.Write(totalLength);
        writer.Write(offset);
        writer.Write(count);
        writer.Write(values);
    });

    /// <summary>
    /// A <c>Weights</c> message whose slice has the fields given: the first four, then the encoding when
    /// <paramref name="encoding"/> is not null, then <paramref name="indices"/> as a bin when not null.
    /// </summary>
    public static byte[] EncodedWeights(int totalLength, int offset, int count, byte[] values, int? encoding, byte[]? indices = null) => Write((ref MessagePackWriter writer) =>
    {
        WriteWeightsHeader(ref writer);
        writer.WriteArrayHeader(4 + (encoding is null ? 0 : 1) + (indices is null ? 0 : 1));
        writer.Write(totalLength);
        writer.Write(offset);
        writer.Write(count);
        writer.Write(values);
        if (encoding is { } code)
        {
            writer.Write(code);
        }

        if (indices is not null)
        {
            writer.Write(indices);
        }
    });

    /// <summary>The little-endian bytes of int32 positions, as a sparse slice's Indices bin holds them.</summary>
    public static byte[] Int32s(params int[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

    /// <summary>A <c>Weights</c> message up to its slice, whose rest the caller appends.</summary>
    public static byte[] WeightsPrefix(Action<ArrayBufferWriter<byte>> slice)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        WriteWeightsHeader(ref writer);
        writer.Flush();
        slice(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A <c>RegisterWorker</c> ("reg") with its four fields followed by <paramref name="extra"/> ones.</summary>
    public static byte[] RegisterWorker(int fieldCount, Action<ArrayBufferWriter<byte>>? extra = null)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(fieldCount);
        writer.Write("worker-1");
        writer.Write(1);
        writer.Write("build");
        writer.Write(4);
        writer.Flush();
        extra?.Invoke(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Bytes written by <paramref name="write"/>.</summary>
    public static byte[] Write(WriteAction write)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        write(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes with a <see cref="MessagePackWriter"/>.</summary>
    public delegate void WriteAction(ref MessagePackWriter writer);

    private static void WriteWeightsHeader(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(7);
        writer.Write("job-1");
        writer.Write(3L);
        writer.Write(0);
        writer.Write(1);
        writer.Write(0);
        writer.Write(1);
    }
}
