using System.Buffers;
using System.Net.Sockets;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Text;
using System.Threading.Channels;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Lane;

/// <summary>
/// One lane connection: a send loop that serialises queued messages straight into a reused buffer and
/// writes them as frames, and a receive loop that reads frames into one reused buffer and hands each
/// message on. Nothing is allocated per frame once the buffers have grown to the largest message.
/// </summary>
internal sealed class LaneConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly int _maxPayload;
    private readonly Channel<IWireMessage> _outbox = Channel.CreateUnbounded<IWireMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(1 << 20);
    private readonly byte[] _header = new byte[LaneFrame.HeaderLength];

    // Frames are read into this one buffer (grown to the largest frame) and copied out by deserialising.
    private byte[] _receiveBuffer = new byte[1 << 16];
    private readonly CancellationTokenSource _closing = new();
    private int _closed;

    /// <summary>A connection over <paramref name="socket"/>, read and written through <paramref name="stream"/> (TLS) or the socket itself.</summary>
    public LaneConnection(Socket socket, string peer, int maxPayload, Stream? stream = null)
    {
        _socket = socket;
        _stream = stream ?? new NetworkStream(socket, ownsSocket: false);
        _socket.NoDelay = true;
        _socket.SendBufferSize = 4 << 20;
        _socket.ReceiveBufferSize = 4 << 20;
        Peer = peer;
        _maxPayload = maxPayload;
    }

    public string Peer { get; }

    /// <summary>Queues a message for the send loop; the connection owns its tensor slice from now on.</summary>
    public void Enqueue(IWireMessage message)
    {
        if (!_outbox.Writer.TryWrite(message))
        {
            Release(message);
        }
    }

    /// <summary>Writes one control frame now (before the loops start).</summary>
    public async Task SendControlAsync(byte kind, ReadOnlyMemory<byte> payload, CancellationToken cancellation)
    {
        var frame = new byte[LaneFrame.HeaderLength + payload.Length];
        LaneFrame.WriteHeader(frame, kind, payload.Length);
        payload.CopyTo(frame.AsMemory(LaneFrame.HeaderLength));
        await SendAllAsync(frame, cancellation).ConfigureAwait(false);
    }

    /// <summary>Reads one frame of the expected kind (the handshake), or null on anything else.</summary>
    public async Task<byte[]?> ReceiveControlAsync(byte kind, CancellationToken cancellation)
    {
        if (!await TryReceiveExactlyAsync(_header, cancellation).ConfigureAwait(false))
        {
            return null;
        }

        var (got, length, error) = LaneFrame.ReadHeader(_header, Math.Min(_maxPayload, 4096));
        if (error is not null || got != kind)
        {
            return null;
        }

        var payload = new byte[length];
        await ReceiveExactlyAsync(payload, cancellation).ConfigureAwait(false);
        return payload;
    }

    /// <summary>
    /// Runs the send and receive loops until the peer closes, a frame is malformed, or
    /// <paramref name="accept"/> refuses a message; returns why the connection ended.
    /// </summary>
    public async Task<LaneEnding> RunAsync(Func<IWireMessage, bool> accept)
    {
        var send = SendLoopAsync();
        var receive = ReceiveLoopAsync(accept);
        var first = await Task.WhenAny(send, receive).ConfigureAwait(false);
        var reason = await first.ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
        await Task.WhenAll(send, receive).ConfigureAwait(false);
        return reason;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    private async Task<LaneEnding> SendLoopAsync()
    {
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
            {
                while (_outbox.Reader.TryRead(out var message))
                {
                    _sendBuffer.ResetWrittenCount();
                    try
                    {
                        string manifest = WireFormat.Manifest(message);
                        var head = _sendBuffer.GetSpan(LaneFrame.HeaderLength + 1 + manifest.Length);
                        head[LaneFrame.HeaderLength] = (byte)manifest.Length;
                        Encoding.ASCII.GetBytes(manifest, head[(LaneFrame.HeaderLength + 1)..]);
                        _sendBuffer.Advance(LaneFrame.HeaderLength + 1 + manifest.Length);
                        WireFormat.Serialize(message, _sendBuffer);
                    }
                    finally
                    {
                        Release(message);
                    }

                    int payload = _sendBuffer.WrittenCount - LaneFrame.HeaderLength;
                    if (payload > _maxPayload)
                    {
                        return LaneEnding.Closed($"refused to send a {payload}-byte frame, above the {_maxPayload}-byte limit");
                    }

                    // The header space was reserved first; its length is known only now.
                    var frame = _sendBuffer.WrittenMemory;
                    LaneFrame.WriteHeader(MemoryMarshal.AsMemory(frame).Span, LaneFrame.Message, payload);
                    await SendAllAsync(frame, _closing.Token).ConfigureAwait(false);
                }
            }

            return LaneEnding.Closed("closed");
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException or AuthenticationException)
        {
            return LaneEnding.Closed($"send failed: {e.Message}");
        }
    }

    private async Task<LaneEnding> ReceiveLoopAsync(Func<IWireMessage, bool> accept)
    {
        try
        {
            while (true)
            {
                if (!await TryReceiveExactlyAsync(_header, _closing.Token).ConfigureAwait(false))
                {
                    return LaneEnding.Closed("the peer closed the connection");
                }

                var (kind, length, error) = LaneFrame.ReadHeader(_header, _maxPayload);
                if (error is not null || kind != LaneFrame.Message || length < 2)
                {
                    return LaneEnding.Fault(error ?? $"an unexpected frame of kind {kind}");
                }

                if (length > _receiveBuffer.Length)
                {
                    // To a power of two: a frame a byte longer than the last (a step number that needs
                    // one more byte) must not grow it again.
                    _receiveBuffer = new byte[Math.Max(length, (int)Math.Min(_maxPayload, BitOperations.RoundUpToPowerOf2((uint)length)))];
                }

                var payload = _receiveBuffer;
                IWireMessage message;
                try
                {
                    await ReceiveExactlyAsync(payload.AsMemory(0, length), _closing.Token).ConfigureAwait(false);
                    int manifestLength = payload[0];
                    if (manifestLength == 0 || 1 + manifestLength > length)
                    {
                        return LaneEnding.Fault("a frame with no manifest");
                    }

                    string manifest = Encoding.ASCII.GetString(payload, 1, manifestLength);
                    message = WireFormat.Deserialize(payload.AsMemory(1 + manifestLength, length - 1 - manifestLength), manifest);
                }
                catch (System.Runtime.Serialization.SerializationException e)
                {
                    return LaneEnding.Fault($"a malformed message: {e.Message}");
                }

                if (!accept(message))
                {
                    Release(message);
                    return LaneEnding.Fault($"a {message.GetType().Name} that does not belong on this connection");
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException or EndOfStreamException or AuthenticationException)
        {
            return LaneEnding.Closed($"receive failed: {e.Message}");
        }
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        await _stream.WriteAsync(data, cancellation).ConfigureAwait(false);
    }

    private async Task ReceiveExactlyAsync(Memory<byte> buffer, CancellationToken cancellation)
    {
        if (!await TryReceiveExactlyAsync(buffer, cancellation).ConfigureAwait(false))
        {
            throw new EndOfStreamException($"{Peer} closed the connection in the middle of a frame.");
        }
    }

    /// <summary>False if the peer closed cleanly before the first byte.</summary>
    private async Task<bool> TryReceiveExactlyAsync(Memory<byte> buffer, CancellationToken cancellation)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await _stream.ReadAsync(buffer[total..], cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                if (total == 0)
                {
                    return false;
                }

                throw new EndOfStreamException($"{Peer} closed the connection in the middle of a frame.");
            }

            total += read;
        }

        return true;
    }

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        await _closing.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already gone: nothing to tell the peer.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        while (_outbox.Reader.TryRead(out var message))
        {
            Release(message);
        }
    }

    private static void Release(IWireMessage message)
    {
        switch (message)
        {
            case ParameterServerProtocol.Weights w:
                w.Slice.Release();
                break;
            case ParameterServerProtocol.Gradient g:
                g.Slice.Release();
                break;
        }
    }
}
