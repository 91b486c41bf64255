using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// Layout of a <see cref="TensorSlice"/>, nested in the tensor messages:
/// <c>[0 TotalLength: int, 1 Offset: int, 2 Count: int, 3 Values: bin of Count × 4 bytes, float32 little-endian]</c>.
/// The values are one raw <c>bin</c>, never one MessagePack float each: one copy out, one copy in.
/// </summary>
internal static class TensorSliceContract
{
    private const int Fields = 4;
    private const string Name = "tensor slice";

    /// <summary>Writes <paramref name="slice"/>, refusing one whose ranges the receiver would reject.</summary>
    /// <typeparam name="TSink">The writer or the byte counter.</typeparam>
    /// <param name="sink">Where the fields go.</param>
    /// <param name="slice">The slice.</param>
    public static void Write<TSink>(ref TSink sink, in TensorSlice slice)
        where TSink : IWireSink, allows ref struct
    {
        // Fail at the sender, where the bug is, rather than as a dropped message at the receiver.
        int held = (slice.Data?.Length ?? 0) - slice.Start;
        string? problem = Check(slice.TotalLength, slice.Offset, slice.Count)
            ?? (held < slice.Count ? $"Data holds {held} values, fewer than Count {slice.Count}" : null);
        if (problem is not null)
        {
            throw new SerializationException($"Cannot write a {Name}: {problem}.");
        }

        sink.WriteArrayHeader(Fields);
        sink.Write(slice.TotalLength);
        sink.Write(slice.Offset);
        sink.Write(slice.Count);
        sink.WriteFloats(slice.Values);
    }

    /// <summary>
    /// Reads a slice: the ranges and the byte length are checked first, then the values are copied
    /// once into an array rented from <see cref="TensorPool"/>, which the receiver releases.
    /// </summary>
    /// <param name="source">The bytes.</param>
    public static TensorSlice Read(ref WireSource source)
    {
        int fields = source.BeginContract(Fields, Name);
        int totalLength = source.ReadInt32();
        int offset = source.ReadInt32();
        int count = source.ReadInt32();
        if (Check(totalLength, offset, count) is { } problem)
        {
            throw new SerializationException($"Malformed {Name}: {problem}.");
        }

        ReadOnlySequence<byte> values = source.ReadBin("Values");
        if (values.Length % sizeof(float) != 0)
        {
            throw new SerializationException($"Malformed {Name}: Values hold {values.Length} bytes, not a whole number of float32.");
        }

        if (values.Length != (long)count * sizeof(float))
        {
            throw new SerializationException($"Malformed {Name}: Values hold {values.Length / sizeof(float)} floats but Count is {count}.");
        }

        source.EndContract(fields, Fields, Name);

        // Rent only now: every length has been checked against the bytes actually present.
        float[] data = TensorPool.Floats.Rent(Math.Max(1, count));
        values.CopyTo(MemoryMarshal.AsBytes(data.AsSpan(0, count)));
        return new TensorSlice(totalLength, offset, count, data);
    }

    /// <summary>What is wrong with a slice's ranges, or null when they are consistent.</summary>
    /// <param name="totalLength">Floats in the whole buffer.</param>
    /// <param name="offset">First element.</param>
    /// <param name="count">Elements.</param>
    public static string? Check(int totalLength, int offset, int count)
    {
        if (totalLength < 0 || totalLength > WireSizes.MaxTensorLength)
        {
            return $"TotalLength {totalLength} is outside [0, {WireSizes.MaxTensorLength}]";
        }

        if (offset < 0 || count < 0)
        {
            return $"Offset {offset} and Count {count} must not be negative";
        }

        return offset > totalLength - count ? $"Offset {offset} + Count {count} exceeds TotalLength {totalLength}" : null;
    }
}
