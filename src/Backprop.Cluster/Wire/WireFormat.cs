using System.Buffers;
using System.Runtime.Serialization;
using System.Text;
using Backprop.Cluster.Wire.Contracts;
using MessagePack;

namespace Backprop.Cluster.Wire;

/// <summary>
/// Writes and reads <see cref="IWireMessage"/>s as their MessagePack contracts, by manifest. Used by
/// <see cref="BackpropSerializer"/> for Akka.Remote, and usable as is by any other transport that
/// carries the same frames (the tensor lane). Malformed input always ends in a
/// <see cref="SerializationException"/>, never another exception, and never allocates more than the
/// input's own length warrants.
/// </summary>
public static class WireFormat
{
    /// <summary>The manifest of <paramref name="message"/>'s type.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="SerializationException">The type has no contract.</exception>
    public static string Manifest(IWireMessage message) => ContractOf(message).Manifest;

    /// <summary>Bytes <paramref name="message"/> takes serialized, counted without writing it.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="SerializationException">The type has no contract or the message cannot be written.</exception>
    public static long SerializedSize(IWireMessage message)
    {
        WireContract contract = ContractOf(message);
        try
        {
            return contract.SerializedSize(message);
        }
        catch (Exception ex) when (IsUnwritable(ex))
        {
            throw CannotWrite(contract, ex);
        }
    }

    /// <summary>Serializes <paramref name="message"/> into a new array of exactly its size.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="SerializationException">The type has no contract or the message cannot be written.</exception>
    public static byte[] Serialize(IWireMessage message)
    {
        long size = SerializedSize(message);
        if (size > Array.MaxLength)
        {
            throw new SerializationException($"{message.GetType().Name} would take {size} bytes, more than an array holds.");
        }

        // Every byte is written below (checked), so the array need not be zeroed first; at slice
        // size it is a large object, where skipping the clear saves a pass over 120 KB.
        byte[] bytes = GC.AllocateUninitializedArray<byte>((int)size);
        var output = new FixedBufferWriter(bytes);
        Serialize(message, output);
        if (output.Written != bytes.Length)
        {
            throw new InvalidOperationException(
                $"{message.GetType().Name} wrote {output.Written} bytes but its size count said {bytes.Length}: its contract's writer disagrees with itself.");
        }

        return bytes;
    }

    /// <summary>Serializes <paramref name="message"/> into <paramref name="output"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="output">Where the bytes go, e.g. a pooled socket buffer.</param>
    /// <exception cref="SerializationException">The type has no contract or the message cannot be written.</exception>
    public static void Serialize(IWireMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        EnsureLittleEndian();
        WireContract contract = ContractOf(message);
        try
        {
            var sink = new MessagePackSink(output);
            contract.Write(ref sink, message);
            sink.Flush();
        }
        catch (Exception ex) when (IsUnwritable(ex))
        {
            throw CannotWrite(contract, ex);
        }
    }

    /// <summary>
    /// Reads the message of <paramref name="manifest"/> from <paramref name="bytes"/>, which must hold
    /// it exactly. A tensor slice in it holds an array rented from the shared pool: the receiver owns
    /// it and calls <see cref="TensorSlice.Release"/>.
    /// </summary>
    /// <param name="bytes">The serialized message.</param>
    /// <param name="manifest">Its manifest.</param>
    /// <exception cref="SerializationException">The manifest is unknown or the bytes are malformed.</exception>
    public static IWireMessage Deserialize(ReadOnlyMemory<byte> bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        EnsureLittleEndian();
        WireContract contract = WireContracts.ForManifest(manifest)
            ?? throw new SerializationException(
                $"Unknown wire manifest '{manifest}' ({bytes.Length} bytes): this build knows {string.Join(", ", WireContracts.All.Select(c => c.Manifest))}. Is the sender a different build?");
        try
        {
            var source = new WireSource(bytes);
            IWireMessage message = contract.Read(ref source);
            if (!source.End)
            {
                // A slice read so far goes to the GC rather than back to the pool: harmless, and rare.
                throw new SerializationException($"{bytes.Length - source.Consumed} bytes follow the message.");
            }

            return message;
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw new SerializationException(
                $"Malformed '{manifest}' message ({contract.MessageType.Name}, {bytes.Length} bytes): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Throws on a big-endian host: floats travel as their little-endian bytes, copied as a block.
    /// A whole-buffer byte reversal would also reverse the element order, so it is refused instead.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The host is big-endian.</exception>
    internal static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(
                "The Backprop wire format copies float32 payloads as little-endian bytes; this big-endian host is not supported.");
        }
    }

    private static WireContract ContractOf(IWireMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WireContracts.ForType(message.GetType())
            ?? throw new SerializationException(
                $"{message.GetType().FullName} implements IWireMessage but has no wire contract: add its row to Backprop.Cluster.Wire.Contracts.WireContracts.");
    }

    private static SerializationException CannotWrite(WireContract contract, Exception ex) =>
        new($"Cannot write {contract.MessageType.Name} ('{contract.Manifest}'): {ex.Message}", ex);

    // A null or invalid string, or a slice the receiver would reject; any other exception is a bug.
    private static bool IsUnwritable(Exception ex) =>
        ex is SerializationException or ArgumentNullException or EncoderFallbackException;

    // What MessagePack's reader and our checks throw on bad bytes; any other exception is a bug.
    private static bool IsMalformed(Exception ex) =>
        ex is SerializationException
            or MessagePackSerializationException
            or EndOfStreamException
            or OverflowException
            or InsufficientExecutionStackException
            or DecoderFallbackException;
}
