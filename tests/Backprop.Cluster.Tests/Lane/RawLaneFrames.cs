using System.Text;
using Backprop.Cluster.Lane;
using Backprop.Cluster.Tests.Wire;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Lane;

/// <summary>Lane frames built by hand, for tests that play a peer with a raw socket.</summary>
internal static class RawLaneFrames
{
    /// <summary>A frame of <paramref name="kind"/> around <paramref name="payload"/>.</summary>
    public static byte[] Frame(byte kind, byte[] payload)
    {
        var frame = new byte[LaneFrame.HeaderLength + payload.Length];
        LaneFrame.WriteHeader(frame, kind, payload.Length);
        payload.CopyTo(frame, LaneFrame.HeaderLength);
        return frame;
    }

    /// <summary>The message frame a lane connection would write for <paramref name="message"/> (whose slice is released).</summary>
    public static byte[] Of(IWireMessage message)
    {
        string manifest = WireFormat.Manifest(message);
        byte[] body = WireFormat.Serialize(message);
        WireAssert.Release(message);
        return Frame(LaneFrame.Message, [(byte)manifest.Length, .. Encoding.ASCII.GetBytes(manifest), .. body]);
    }

    /// <summary>Reads one whole frame (header and payload) from <paramref name="stream"/>; returns its kind.</summary>
    public static async Task<byte> ReadAsync(Stream stream)
    {
        var header = new byte[LaneFrame.HeaderLength];
        await stream.ReadExactlyAsync(header);
        var (kind, length, error) = LaneFrame.ReadHeader(header, int.MaxValue);
        Assert.True(error is null, error);
        await stream.ReadExactlyAsync(new byte[length]);
        return kind;
    }
}
