using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Tests.Wire;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Lane;

/// <summary>
/// Random and corrupted lane frames: the header check never lets a bad one through, and a connection
/// fed one hands on only a message that decoded whole and valid, then ends; it never hangs.
/// </summary>
public sealed class LaneFrameFuzzTests
{
    private const int Seed = 9_007_199;
    private const int MaxPayload = 1 << 20;
    private const int Frames = 60;

    [Fact]
    public void ReadHeader_should_return_a_known_kind_and_a_length_within_the_limit_or_an_error()
    {
        var random = new Random(Seed);
        Span<byte> header = stackalloc byte[LaneFrame.HeaderLength];
        for (int trial = 0; trial < 100_000; trial++)
        {
            random.NextBytes(header);

            // Half the headers start right, so the kind and length checks are reached too.
            if (trial % 2 == 0)
            {
                header[0] = (byte)'B';
                header[1] = (byte)'L';
                header[3] = 0;
                header[2] = (byte)(trial % 8 == 0 ? random.Next(256) : 1 + random.Next(3));
            }

            var (kind, length, error) = LaneFrame.ReadHeader(header, MaxPayload);
            bool good = header[0] == 'B' && header[1] == 'L' && header[3] == 0 && header[2] is >= 1 and <= 3
                && BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) <= MaxPayload;
            string context = $"header {Convert.ToHexString(header)}, trial {trial}, seed {Seed}";
            Assert.True(good == (error is null), context);
            if (good)
            {
                Assert.True(kind == header[2] && length == BinaryPrimitives.ReadInt32LittleEndian(header[4..]), context);
            }
        }
    }

    [Fact]
    public async Task A_corrupted_frame_should_close_the_connection_and_deliver_nothing_unless_it_is_still_a_valid_message()
    {
        var random = new Random(Seed);
        byte[][] frames = [.. WireSamples.Small().Select(RawLaneFrames.Of)];
        int faults = 0;
        for (int trial = 0; trial < Frames; trial++)
        {
            byte[] valid = frames[random.Next(frames.Length)];
            (string how, byte[] frame) = (trial % 3) switch
            {
                0 => ("bit flips", Corruption.FlipBits(valid, random)),
                1 => ("truncated", valid[..random.Next(1, valid.Length)]),
                _ => ("random bytes", Noise(random)),
            };

            string context = $"{how} frame {Convert.ToHexString(frame.AsSpan(0, Math.Min(frame.Length, 24)))}, trial {trial}, seed {Seed}";
            var (ending, delivered) = await ReceiveAsync(frame).WaitAsync(TimeSpan.FromSeconds(5));

            // At most the one frame sent, and only when it decoded to a message that may be handed on.
            Assert.True(delivered.Count <= 1, $"{context}: {delivered.Count} messages");
            foreach (var message in delivered)
            {
                WireValidity.AssertValid(message, WireFormat.Manifest(message), context);
                WireAssert.Release(message);
            }

            if (ending.ByPeerFault)
            {
                Assert.True(delivered.Count == 0, $"{context}: a message delivered from a frame that was refused ({ending.Reason})");
                faults++;
            }
        }

        // Most corruptions must be caught as protocol faults, not merely end with the peer's close.
        Assert.InRange(faults, Frames / 3, Frames);
    }

    [Fact]
    public async Task An_intact_frame_should_be_delivered_whole_by_the_same_path()
    {
        // The control case: the harness itself delivers a good frame, so the fuzz outcomes above mean something.
        // A borrowed slice: framing returns pooled ones, whose array the receiver could then rent again.
        float[] values = [.. Enumerable.Range(0, 100).Select(i => i * 0.25f)];
        var sent = new ParameterServerProtocol.Gradient("job-1", 3, 1, 2, 0.5, 1, TensorSlice.Borrow(values, 10, 50));
        byte[] frame = RawLaneFrames.Of(sent);
        var (ending, delivered) = await ReceiveAsync(frame).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(ending.ByPeerFault, ending.Reason);
        var received = Assert.Single(delivered);
        WireAssert.Equal(sent, received);
        WireAssert.Release(received);
    }

    // Writes the bytes to a fresh loopback connection and closes the sending side, as a peer that
    // sent one frame and left; returns how the receiving end ended and what it handed on.
    private static async Task<(LaneEnding Ending, List<IWireMessage> Delivered)> ReceiveAsync(byte[] bytes)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var socket = await listener.AcceptSocketAsync();
            var connection = new LaneConnection(socket, "fuzz", MaxPayload);
            await using (connection.ConfigureAwait(false))
            {
                var delivered = new List<IWireMessage>();
                var run = connection.RunAsync(message =>
                {
                    lock (delivered)
                    {
                        delivered.Add(message);
                    }

                    return true;
                });
                await client.GetStream().WriteAsync(bytes);
                client.Client.Shutdown(SocketShutdown.Send);
                var ending = await run;
                return (ending, delivered);
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    // Random payloads behind a well-formed header half the time, so the manifest and message checks are reached.
    private static byte[] Noise(Random random)
    {
        byte[] noise = Corruption.Noise(random, 1 + random.Next(64));
        if (random.Next(2) == 0)
        {
            byte[] framed = new byte[LaneFrame.HeaderLength + noise.Length];
            LaneFrame.WriteHeader(framed, LaneFrame.Message, noise.Length);
            noise.CopyTo(framed, LaneFrame.HeaderLength);
            return framed;
        }

        return noise;
    }
}
