using System.Text;
using Akka.Configuration;

namespace Backprop.Cluster.Wire;

/// <summary>
/// Sizes on the wire, checked at the sender: Akka.Remote drops a frame over its
/// <c>maximum-frame-size</c> with only a log line at the receiver, and the sender would wait forever.
/// </summary>
public static class WireSizes
{
    /// <summary>Akka.Remote's default <c>akka.remote.dot-netty.tcp.maximum-frame-size</c>, in bytes.</summary>
    public const long DefaultMaximumFrameSize = 128_000;

    /// <summary>
    /// Bytes allowed for what Akka.Remote adds around our payload: recipient and sender actor paths
    /// (with host names, about 100 bytes each), serializer id, manifest, sequence number, acks and the
    /// length prefix. An estimate with room to spare, not a measurement of a particular frame.
    /// </summary>
    public const int EnvelopeAllowance = 1_024;

    /// <summary>
    /// The largest <see cref="TensorSlice.TotalLength"/> a message may carry (2^28 floats, 1 GiB):
    /// far above any model here, and low enough that a lying length cannot ask for absurd memory.
    /// </summary>
    public const int MaxTensorLength = 1 << 28;

    /// <summary>
    /// The most elements of a range one value of a <see cref="TensorEncoding.Sparse"/> slice may stand
    /// for: a receiver rebuilds the whole range, so without a bound a message of a few bytes could make it
    /// allocate a gigabyte. At 1,024 (a top-k ratio down to about 0.001) an 8-byte entry makes it
    /// allocate at most 4 KiB; a sender keeps at least ⌈Count / 1,024⌉ values of a range.
    /// </summary>
    public const int MaxSparseSpread = 1_024;

    /// <summary>The Akka frame <paramref name="message"/> would take: its bytes, manifest and envelope allowance.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="System.Runtime.Serialization.SerializationException">The message cannot be written.</exception>
    public static long FrameSize(IWireMessage message) =>
        WireFormat.SerializedSize(message) + Encoding.UTF8.GetByteCount(WireFormat.Manifest(message)) + EnvelopeAllowance;

    /// <summary>Throws unless <paramref name="message"/> fits a frame of <paramref name="maximumFrameSize"/> bytes.</summary>
    /// <param name="message">The message about to be sent.</param>
    /// <param name="maximumFrameSize">The frame limit of the path it takes (see <see cref="MaximumFrameSize"/>).</param>
    /// <returns>Its frame size.</returns>
    /// <exception cref="InvalidOperationException">The message would not fit.</exception>
    public static long EnsureFits(IWireMessage message, long maximumFrameSize)
    {
        long frame = FrameSize(message);
        if (frame > maximumFrameSize)
        {
            throw new InvalidOperationException(
                $"{message.GetType().Name} would need a frame of about {frame} bytes, over the maximum frame size of {maximumFrameSize} bytes; "
                + $"Akka.Remote would drop it silently. Cut tensors with {nameof(TensorSlicing)} (at most {TensorSlicing.DefaultMaxBytes} bytes a slice) "
                + "or raise akka.remote.dot-netty.tcp.maximum-frame-size on every node.");
        }

        return frame;
    }

    /// <summary>The <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> of <paramref name="config"/>, or Akka's default.</summary>
    /// <param name="config">An actor system's configuration.</param>
    public static long MaximumFrameSize(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", DefaultMaximumFrameSize) ?? DefaultMaximumFrameSize;
    }
}
