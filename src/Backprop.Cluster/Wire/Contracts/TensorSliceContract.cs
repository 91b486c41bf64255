using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using Backprop.Numerics.Conversion;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// Layout of a <see cref="TensorSlice"/>, nested in the tensor messages:
/// <c>[0 TotalLength: int, 1 Offset: int, 2 Count: int, 3 Values: bin, 4 Encoding: int (optional), 5 Indices: bin (sparse only)]</c>.
/// <list type="bullet">
/// <item>float32 (Encoding 0): four fields, exactly as before encodings existed; Values are Count × 4 bytes, float32 little-endian.</item>
/// <item>bf16 (1) and fp16 (2): five fields; Values are Count × 2 bytes, bfloat16 bits or IEEE halves, little-endian.</item>
/// <item>sparse (3): six fields; Indices are K × 4 bytes, int32 little-endian, positions relative to Offset, strictly
/// increasing, each below Count; Values are the K values at those positions, K × 4 bytes float32; every other value of
/// the range is zero. K is at least ⌈Count / <see cref="WireSizes.MaxSparseSpread"/>⌉.</item>
/// </list>
/// The values are one raw <c>bin</c>, never one MessagePack float each: one copy (or conversion) out, one in.
/// A reader of this layout reads a four-field slice as float32, so the float32 bytes are what they always were.
/// </summary>
internal static class TensorSliceContract
{
    private const int Fields = 4;
    private const int EncodedFields = 5;
    private const int SparseFields = 6;
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
            ?? (held < slice.Count ? $"Data holds {held} values, fewer than Count {slice.Count}" : null)
            ?? EncodingProblem(slice);
        if (problem is not null)
        {
            throw new SerializationException($"Cannot write a {Name}: {problem}.");
        }

        sink.WriteArrayHeader(slice.Encoding switch
        {
            TensorEncoding.Fp32 => Fields,
            TensorEncoding.Sparse => SparseFields,
            _ => EncodedFields,
        });
        sink.Write(slice.TotalLength);
        sink.Write(slice.Offset);
        sink.Write(slice.Count);
        switch (slice.Encoding)
        {
            case TensorEncoding.Fp32:
                sink.WriteFloats(slice.Values);
                return;
            case TensorEncoding.Bf16:
                sink.WriteBFloat16(slice.Values);
                break;
            case TensorEncoding.Fp16:
                sink.WriteFloat16(slice.Values);
                break;
            default:
                sink.WriteGathered(slice.Values, slice.Indices.Span);
                break;
        }

        sink.Write((long)slice.Encoding);
        if (slice.Encoding == TensorEncoding.Sparse)
        {
            sink.WriteInt32s(slice.Indices.Span);
        }
    }

    /// <summary>
    /// Reads a slice: the ranges and the byte lengths (and a sparse slice's positions) are checked first,
    /// then the values are copied or converted once into a float32 array rented from <see cref="TensorPool"/>,
    /// which the receiver releases.
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
            throw Malformed(problem);
        }

        ReadOnlySequence<byte> values = source.ReadBin("Values");
        var encoding = TensorEncoding.Fp32;
        int known = Fields;
        if (fields >= EncodedFields)
        {
            int code = source.ReadInt32();
            encoding = Enum.IsDefined((TensorEncoding)code)
                ? (TensorEncoding)code
                : throw Malformed($"Encoding {code} is unknown to this build (0 float32, 1 bf16, 2 fp16, 3 sparse)");
            known = EncodedFields;
        }

        ReadOnlySequence<byte> indices = default;
        if (encoding == TensorEncoding.Sparse)
        {
            indices = fields >= SparseFields ? source.ReadBin("Indices") : throw Malformed("a sparse slice has no Indices field");
            known = SparseFields;
        }

        source.EndContract(fields, known, Name);
        var slice = encoding switch
        {
            TensorEncoding.Fp32 => ReadFloat32(totalLength, offset, count, values),
            TensorEncoding.Sparse => ReadSparse(totalLength, offset, count, values, indices),
            _ => ReadHalves(totalLength, offset, count, values, encoding),
        };
        return slice with { WireBytes = values.Length + indices.Length };
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

    /// <summary>What is wrong with a sparse slice's positions, or null when the receiver would accept them.</summary>
    /// <param name="indices">The positions, relative to the slice's offset.</param>
    /// <param name="count">Elements in the slice.</param>
    public static string? SparseProblem(ReadOnlySpan<int> indices, int count)
    {
        if ((long)indices.Length * WireSizes.MaxSparseSpread < count)
        {
            return $"{indices.Length} values stand for Count {count}: a sparse slice keeps at least one value per {WireSizes.MaxSparseSpread}";
        }

        int previous = -1;
        for (int j = 0; j < indices.Length; j++)
        {
            int index = indices[j];
            if ((uint)index >= (uint)count)
            {
                return $"index {index} at position {j} is outside [0, Count {count})";
            }

            if (index <= previous)
            {
                return $"Indices are not strictly increasing: {index} at position {j} follows {previous}";
            }

            previous = index;
        }

        return null;
    }

    private static string? EncodingProblem(in TensorSlice slice)
    {
        if (!Enum.IsDefined(slice.Encoding))
        {
            return $"Encoding {(int)slice.Encoding} is not an encoding";
        }

        if (slice.Encoding != TensorEncoding.Sparse)
        {
            return slice.Indices.IsEmpty ? null : $"a {slice.Encoding} slice carries {slice.Indices.Length} Indices; only a sparse one may";
        }

        return SparseProblem(slice.Indices.Span, slice.Count);
    }

    private static TensorSlice ReadFloat32(int totalLength, int offset, int count, in ReadOnlySequence<byte> values)
    {
        if (values.Length % sizeof(float) != 0)
        {
            throw Malformed($"Values hold {values.Length} bytes, not a whole number of float32");
        }

        if (values.Length != (long)count * sizeof(float))
        {
            throw Malformed($"Values hold {values.Length / sizeof(float)} floats but Count is {count}");
        }

        // Rent only now: every length has been checked against the bytes actually present.
        float[] data = TensorPool.Floats.Rent(Math.Max(1, count));
        values.CopyTo(MemoryMarshal.AsBytes(data.AsSpan(0, count)));
        return new TensorSlice(totalLength, offset, count, data);
    }

    private static TensorSlice ReadHalves(int totalLength, int offset, int count, in ReadOnlySequence<byte> values, TensorEncoding encoding)
    {
        if (values.Length % sizeof(ushort) != 0)
        {
            throw Malformed($"Values hold {values.Length} bytes, not a whole number of 16-bit values");
        }

        if (values.Length != (long)count * sizeof(ushort))
        {
            throw Malformed($"Values hold {values.Length / sizeof(ushort)} {encoding} values but Count is {count}");
        }

        float[] data = TensorPool.Floats.Rent(Math.Max(1, count));
        ReadOnlySpan<byte> bytes = Contiguous(values);
        if (encoding == TensorEncoding.Bf16)
        {
            HalfPrecision.FromBFloat16(MemoryMarshal.Cast<byte, ushort>(bytes), data.AsSpan(0, count));
        }
        else
        {
            HalfPrecision.FromHalf(MemoryMarshal.Cast<byte, Half>(bytes), data.AsSpan(0, count));
        }

        return new TensorSlice(totalLength, offset, count, data);
    }

    private static TensorSlice ReadSparse(int totalLength, int offset, int count, in ReadOnlySequence<byte> values, in ReadOnlySequence<byte> indices)
    {
        if (indices.Length % sizeof(int) != 0 || values.Length % sizeof(float) != 0)
        {
            throw Malformed($"Indices hold {indices.Length} bytes and Values {values.Length}: not whole numbers of int32 and float32");
        }

        if (values.Length != indices.Length)
        {
            throw Malformed($"Values hold {values.Length / sizeof(float)} floats but Indices hold {indices.Length / sizeof(int)} positions");
        }

        if (indices.Length / sizeof(int) > count)
        {
            throw Malformed($"Indices hold {indices.Length / sizeof(int)} positions but Count is {count}");
        }

        // Every position is checked before the range is rented: the zeros it rebuilds are bounded by
        // the positions present (MaxSparseSpread), not by what Count claims.
        ReadOnlySpan<int> positions = MemoryMarshal.Cast<byte, int>(Contiguous(indices));
        if (SparseProblem(positions, count) is { } problem)
        {
            throw Malformed(problem);
        }

        ReadOnlySpan<float> picked = MemoryMarshal.Cast<byte, float>(Contiguous(values));
        float[] data = TensorPool.Floats.Rent(Math.Max(1, count));
        Span<float> dense = data.AsSpan(0, count);
        dense.Clear();
        for (int j = 0; j < positions.Length; j++)
        {
            dense[positions[j]] = picked[j];
        }

        return new TensorSlice(totalLength, offset, count, data);
    }

    // The bytes of a bin as one span. A WireSource reads one block of memory, so this never copies; a
    // sequence of several segments (no caller makes one) would be copied, at most its own length.
    private static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> bytes) => bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray();

    private static SerializationException Malformed(string problem) => new($"Malformed {Name}: {problem}.");
}
