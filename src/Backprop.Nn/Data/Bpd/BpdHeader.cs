using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Backprop.Nn.Data.Bpd;

/// <summary>
/// The header of a <c>.bpd</c> file: what the rows are and where the body lies. Encoded as the fixed
/// 64 bytes, the names, the XxHash64 of all of that, then zeros up to <see cref="BodyOffset"/>.
/// </summary>
/// <param name="Task">Classification (int32 labels) or regression (float32 targets).</param>
/// <param name="RowCount">Samples.</param>
/// <param name="FeatureCount">Features per sample.</param>
/// <param name="TargetCount">Targets per sample; 0 for classification.</param>
/// <param name="FeatureNames">One per feature.</param>
/// <param name="ClassNames">One per class; empty for regression.</param>
/// <param name="BodyChecksum">XxHash64 of the body bytes.</param>
internal sealed record BpdHeader(
    TaskKind Task,
    long RowCount,
    int FeatureCount,
    int TargetCount,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> ClassNames,
    ulong BodyChecksum)
{
    /// <summary>Bytes from the magic to the end of the header checksum.</summary>
    public int HeaderLength => FixedBytes() + NameBytes(FeatureNames) + NameBytes(ClassNames) + sizeof(ulong);

    /// <summary>Where the features start: the header length rounded up to <see cref="BpdFormat.BodyAlignment"/>.</summary>
    public long BodyOffset => (HeaderLength + BpdFormat.BodyAlignment - 1L) / BpdFormat.BodyAlignment * BpdFormat.BodyAlignment;

    /// <summary>Bytes of the features.</summary>
    public long FeatureBytes => checked(RowCount * FeatureCount * sizeof(float));

    /// <summary>Bytes of the labels or targets.</summary>
    public long TailBytes => Task == TaskKind.Classification ? checked(RowCount * sizeof(int)) : checked(RowCount * TargetCount * sizeof(float));

    /// <summary>Bytes of the body: features then labels or targets.</summary>
    public long BodyLength => checked(FeatureBytes + TailBytes);

    /// <summary>The header bytes, padded with zeros to <see cref="BodyOffset"/>.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[BodyOffset];
        var span = bytes.AsSpan();
        BpdFormat.Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], BpdFormat.Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], HeaderLength);
        span[16] = Task == TaskKind.Classification ? (byte)1 : (byte)2;
        span[17] = BpdFormat.SingleElements;
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], FeatureCount);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], RowCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[32..], TargetCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[36..], ClassNames.Count);
        BinaryPrimitives.WriteInt64LittleEndian(span[40..], BodyOffset);
        BinaryPrimitives.WriteInt64LittleEndian(span[48..], BodyLength);
        BinaryPrimitives.WriteUInt64LittleEndian(span[56..], BodyChecksum);
        int at = BpdFormat.FixedHeaderBytes;
        foreach (string name in FeatureNames.Concat(ClassNames))
        {
            int length = Encoding.UTF8.GetBytes(name, span[(at + sizeof(int))..]);
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], length);
            at += sizeof(int) + length;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], XxHash64.HashToUInt64(span[..at]));
        return bytes;
    }

    private static int FixedBytes() => BpdFormat.FixedHeaderBytes;

    private static int NameBytes(IReadOnlyList<string> names) => names.Sum(n => sizeof(int) + Encoding.UTF8.GetByteCount(n));
}
