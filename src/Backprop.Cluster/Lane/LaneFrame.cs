using System.Buffers.Binary;
using System.Text;

namespace Backprop.Cluster.Lane;

/// <summary>
/// The tensor lane's framing: an 8-byte header — magic "BL", the frame kind, a zero byte, the payload
/// length (u32, little-endian) — then the payload. A message frame's payload is the message's manifest
/// (one length byte, ASCII) followed by the same MessagePack bytes the Akka serializer writes, so both
/// transports carry one format. Anything else on a connection closes it.
/// </summary>
internal static class LaneFrame
{
    public const int HeaderLength = 8;

    /// <summary>Worker → server, first frame: "jobId\nworkerId" in UTF-8.</summary>
    public const byte Hello = 1;

    /// <summary>Server → worker, answer to a good hello: no payload.</summary>
    public const byte Welcome = 2;

    /// <summary>A wire message (weights down, gradients up).</summary>
    public const byte Message = 3;

    private const byte Magic0 = (byte)'B';
    private const byte Magic1 = (byte)'L';

    public static void WriteHeader(Span<byte> header, byte kind, int payloadLength)
    {
        header[0] = Magic0;
        header[1] = Magic1;
        header[2] = kind;
        header[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)payloadLength);
    }

    /// <summary>The kind and payload length of a header, or an error in plain words.</summary>
    public static (byte Kind, int Length, string? Error) ReadHeader(ReadOnlySpan<byte> header, int maxPayload)
    {
        if (header[0] != Magic0 || header[1] != Magic1 || header[3] != 0)
        {
            return (0, 0, $"not a lane frame (starts {Convert.ToHexString(header[..4])})");
        }

        byte kind = header[2];
        if (kind is not (Hello or Welcome or Message))
        {
            return (0, 0, $"unknown frame kind {kind}");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length > (uint)maxPayload)
        {
            return (0, 0, $"a frame of {length} bytes, above the {maxPayload}-byte limit");
        }

        return (kind, (int)length, null);
    }

    public static byte[] HelloPayload(string jobId, string workerId) => Encoding.UTF8.GetBytes(jobId + "\n" + workerId);

    public static (string JobId, string WorkerId)? ParseHello(ReadOnlySpan<byte> payload)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
        }
        catch (ArgumentException)
        {
            return null;
        }

        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline > 0 && newline < text.Length - 1 ? (text[..newline], text[(newline + 1)..]) : null;
    }
}
