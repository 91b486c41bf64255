using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;
using MessagePack;

namespace Backprop.Cluster.Wire;

/// <summary>
/// Reads a contract's fields from untrusted bytes. Every length is checked against the bytes left
/// before anything is allocated (MessagePack's reader does this for headers, strings and bins), nesting
/// is bounded by <see cref="MessagePackSecurity.UntrustedData"/>'s depth step, and unknown trailing
/// fields are skipped only when they are scalars, since MessagePack's <c>Skip</c> recurses without a
/// bound into nested arrays.
/// </summary>
internal ref struct WireSource
{
    /// <summary>Deepest nesting a contract may have; ours nest two deep (a message holding a slice).</summary>
    public const int MaximumDepth = 4;

    private static readonly MessagePackSecurity Security = MessagePackSecurity.UntrustedData.WithMaximumObjectGraphDepth(MaximumDepth);

    private MessagePackReader _reader;

    /// <summary>A source reading <paramref name="bytes"/> from the start.</summary>
    /// <param name="bytes">The serialized message.</param>
    public WireSource(ReadOnlyMemory<byte> bytes)
    {
        _reader = new MessagePackReader(bytes);
    }

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool End => _reader.End;

    /// <summary>Bytes read so far.</summary>
    public readonly long Consumed => _reader.Consumed;

    /// <summary>
    /// Enters a contract: reads its array header and checks that it holds at least the fields this
    /// build knows (a newer sender may append more); pair with <see cref="EndContract"/>.
    /// </summary>
    /// <param name="knownFields">Fields this build reads.</param>
    /// <param name="contract">The contract's name, for the error.</param>
    /// <returns>The fields the sender wrote.</returns>
    public int BeginContract(int knownFields, string contract)
    {
        Security.DepthStep(ref _reader);
        int fields = _reader.ReadArrayHeader();
        if (fields < knownFields)
        {
            throw new SerializationException($"{contract} has {fields} fields; this build reads {knownFields}.");
        }

        return fields;
    }

    /// <summary>Skips the fields a newer sender appended, then leaves the contract.</summary>
    /// <param name="fields">What <see cref="BeginContract"/> returned.</param>
    /// <param name="knownFields">Fields this build reads.</param>
    /// <param name="contract">The contract's name, for the error.</param>
    public void EndContract(int fields, int knownFields, string contract)
    {
        for (int i = knownFields; i < fields; i++)
        {
            if (_reader.NextMessagePackType is MessagePackType.Array or MessagePackType.Map)
            {
                throw new SerializationException($"{contract} field {i} is unknown to this build and nested; only scalar fields can be skipped.");
            }

            EnsureLengthFitsInt32();
            _reader.Skip();
        }

        _reader.Depth--;
    }

    /// <summary>Reads a 32-bit integer (any integer encoding that fits).</summary>
    public int ReadInt32() => _reader.ReadInt32();

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => _reader.ReadInt64();

    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong ReadUInt64() => _reader.ReadUInt64();

    /// <summary>Reads a boolean.</summary>
    public bool ReadBoolean() => _reader.ReadBoolean();

    /// <summary>Reads a float64.</summary>
    public double ReadDouble() => _reader.ReadDouble();

    /// <summary>Reads a non-nil UTF-8 string; invalid UTF-8 throws.</summary>
    /// <param name="field">The field's name, for the error.</param>
    public string ReadString(string field)
    {
        EnsureLengthFitsInt32();
        ReadOnlySequence<byte>? bytes = _reader.ReadStringSequence();
        if (bytes is not { } utf8)
        {
            throw new SerializationException($"{field} is nil; expected a string.");
        }

        return WireText.Utf8.GetString(utf8);
    }

    /// <summary>
    /// Reads the header of a nested list of scalars (<c>[count, item…]</c>) and returns its count, checked
    /// against the bytes left: every item takes at least one byte, so a larger count is a lie, refused
    /// before the caller allocates for it.
    /// </summary>
    /// <param name="field">The list's name, for the error.</param>
    public int ReadArrayHeader(string field)
    {
        if (_reader.NextMessagePackType != MessagePackType.Array)
        {
            throw new SerializationException($"{field} is a {_reader.NextMessagePackType}; expected a list.");
        }

        if (!_reader.TryReadArrayHeader(out int count))
        {
            throw new SerializationException($"{field} is cut short in its list header.");
        }

        long left = _reader.Sequence.Length - _reader.Consumed;
        if (count < 0 || count > left)
        {
            throw new SerializationException($"{field} claims {count} items but only {left} bytes follow.");
        }

        return count;
    }

    /// <summary>Reads a non-nil <c>bin</c> field as a view of the input: nothing is copied.</summary>
    /// <param name="field">The field's name, for the error.</param>
    public ReadOnlySequence<byte> ReadBin(string field)
    {
        EnsureLengthFitsInt32();
        ReadOnlySequence<byte>? bytes = _reader.ReadBytes();
        return bytes ?? throw new SerializationException($"{field} is nil; expected bin.");
    }

    // MessagePack 2.5 reads the 32-bit length of a str, bin or ext into an int: a length of 2^31 or
    // more turns negative and escapes as an ArgumentOutOfRangeException. Catch it while it is a length.
    private readonly void EnsureLengthFitsInt32()
    {
        ReadOnlySequence<byte> rest = _reader.Sequence.Slice(_reader.Position);
        if (rest.Length < 5)
        {
            return; // too short for a 32-bit header: MessagePack reports the truncation itself
        }

        Span<byte> header = stackalloc byte[5];
        rest.Slice(0, 5).CopyTo(header);
        if (header[0] is MessagePackCode.Str32 or MessagePackCode.Bin32 or MessagePackCode.Ext32
            && BinaryPrimitives.ReadUInt32BigEndian(header[1..]) > int.MaxValue)
        {
            throw new SerializationException($"A length of {BinaryPrimitives.ReadUInt32BigEndian(header[1..])} bytes is over 2 GiB.");
        }
    }
}
