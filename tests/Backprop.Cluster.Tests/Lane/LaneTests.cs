using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Lane;

/// <summary>The tensor lane over real loopback sockets: delivery as if by Akka, and strangers shut out.</summary>
public sealed class LaneTests : TestKit
{
    private const string Job = "job-7";
    private const int MaxPayload = 8 << 20;

    public LaneTests()
        : base(ClusterTestConfig.Hocon)
    {
    }

    [Fact]
    public async Task Weights_should_come_down_and_gradients_go_up_as_messages_from_proxies()
    {
        var server = CreateTestProbe();
        var coordinator = CreateTestProbe();
        var worker = CreateTestProbe();
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, server.Ref, coordinator.Ref, MaxPayload);

        var serverProxy = await LaneClient.ConnectAsync(Sys, "127.0.0.1", lane.Port, Job, "w-1", worker.Ref, MaxPayload);
        var connected = coordinator.ExpectMsg<LaneEvents.Connected>();
        Assert.Equal("w-1", connected.WorkerId);

        var weights = Values(235_146, 0.5f);
        connected.Proxy.Tell(new ParameterServerProtocol.Weights(Job, 3, 1, 2, 0, 2, TensorSlice.Borrow(weights, 0, weights.Length)));
        var down = worker.ExpectMsg<ParameterServerProtocol.Weights>();
        Assert.Equal((3L, 1, 2, 0, 2), (down.Version, down.Epoch, down.Batch, down.Rank, down.World));
        Assert.Equal(weights, down.Slice.Values.ToArray());
        Assert.Equal(serverProxy, worker.LastSender);
        down.Slice.Release();

        var gradient = Values(1000, -2f);
        worker.LastSender.Tell(new ParameterServerProtocol.Gradient(Job, 3, 0, 64, 12.5, 50, TensorSlice.Copy(1000, 0, gradient), 777), worker.Ref);
        var up = server.ExpectMsg<ParameterServerProtocol.Gradient>();
        Assert.Equal((3L, 0, 64, 12.5, 50, 777L), (up.Version, up.Rank, up.Samples, up.LossSum, up.Correct, up.ComputeMicros));
        Assert.Equal(gradient, up.Slice.Values.ToArray());
        Assert.Equal(connected.Proxy, server.LastSender);
        up.Slice.Release();
        Assert.Equal(0, lane.RefusedConnections);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("\u0001\u0002 garbage")]
    public async Task A_stranger_that_sends_anything_but_a_hello_should_be_closed_and_counted(string text)
    {
        var coordinator = CreateTestProbe();
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, CreateTestProbe().Ref, coordinator.Ref, MaxPayload);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", lane.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));

        Assert.Equal(0, await stream.ReadAsync(new byte[16]));
        AwaitCondition(() => lane.RefusedConnections == 1);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_worker_of_another_job_should_not_be_welcomed()
    {
        var coordinator = CreateTestProbe();
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, CreateTestProbe().Ref, coordinator.Ref, MaxPayload);

        var error = await Assert.ThrowsAsync<IOException>(() => LaneClient.ConnectAsync(Sys, "127.0.0.1", lane.Port, "other-job", "w-1", CreateTestProbe().Ref, MaxPayload));
        Assert.Contains("did not welcome", error.Message, StringComparison.Ordinal);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_message_that_does_not_belong_on_the_lane_should_close_it_and_report_the_loss()
    {
        var server = CreateTestProbe();
        var coordinator = CreateTestProbe();
        var worker = CreateTestProbe();
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, server.Ref, coordinator.Ref, MaxPayload);
        var serverProxy = await LaneClient.ConnectAsync(Sys, "127.0.0.1", lane.Port, Job, "w-1", worker.Ref, MaxPayload);
        coordinator.ExpectMsg<LaneEvents.Connected>();

        // A gradient of another job: the server closes the connection and both ends hear of it.
        serverProxy.Tell(new ParameterServerProtocol.Gradient("other-job", 0, 0, 1, 1, 0, TensorSlice.Copy(10, 0, new float[10])));

        var lost = coordinator.ExpectMsg<LaneEvents.Lost>();
        Assert.Equal("w-1", lost.WorkerId);
        worker.ExpectMsg<LaneEvents.Lost>();
        server.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, lane.RefusedConnections);
    }

    [Theory]
    [InlineData("bad-magic")]
    [InlineData("unknown-kind")]
    [InlineData("oversized")]
    [InlineData("no-manifest")]
    [InlineData("malformed-message")]
    [InlineData("second-hello")]
    public async Task A_welcomed_worker_that_then_sends_a_bad_frame_should_be_closed_counted_and_reported_lost(string fault)
    {
        var server = CreateTestProbe();
        var coordinator = CreateTestProbe();
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, server.Ref, coordinator.Ref, MaxPayload);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", lane.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(RawLaneFrames.Frame(1, Encoding.UTF8.GetBytes(Job + "\nw-9")));
        var welcome = new byte[8];
        await stream.ReadExactlyAsync(welcome);
        Assert.Equal(2, welcome[2]);
        Assert.Equal("w-9", coordinator.ExpectMsg<LaneEvents.Connected>().WorkerId);

        byte[] bad = fault switch
        {
            "bad-magic" => [(byte)'X', (byte)'Y', 3, 0, 4, 0, 0, 0, 1, 2, 3, 4],
            "unknown-kind" => RawLaneFrames.Frame(9, [1, 2, 3]),
            "oversized" => [(byte)'B', (byte)'L', 3, 0, 0, 0, 0, 0x7f],
            "no-manifest" => RawLaneFrames.Frame(3, [0, 1, 2, 3]),
            "malformed-message" => RawLaneFrames.Frame(3, [.. GradientManifest(), 0x93, 0xc1, 0xc1, 0xc1]),
            _ => RawLaneFrames.Frame(1, Encoding.UTF8.GetBytes(Job + "\nw-9")),
        };
        await stream.WriteAsync(bad);

        var lost = coordinator.ExpectMsg<LaneEvents.Lost>();
        Assert.Equal("w-9", lost.WorkerId);
        Assert.False(string.IsNullOrWhiteSpace(lost.Reason));
        AwaitCondition(() => lane.RefusedConnections == 1);
        Assert.Equal(0, await stream.ReadAsync(new byte[16]));
        server.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_worker_that_hangs_up_cleanly_should_be_reported_lost_but_not_counted()
    {
        var coordinator = CreateTestProbe();
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, CreateTestProbe().Ref, coordinator.Ref, MaxPayload);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", lane.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(RawLaneFrames.Frame(1, Encoding.UTF8.GetBytes(Job + "\nw-9")));
            await stream.ReadExactlyAsync(new byte[8]);
            coordinator.ExpectMsg<LaneEvents.Connected>();
        }

        coordinator.ExpectMsg<LaneEvents.Lost>();
        Assert.Equal(0, lane.RefusedConnections);
    }

    private static byte[] GradientManifest()
    {
        string manifest = WireFormat.Manifest(new ParameterServerProtocol.Gradient(Job, 0, 0, 1, 1, 0, TensorSlice.Borrow(new float[1], 0, 1)));
        return [(byte)manifest.Length, .. Encoding.ASCII.GetBytes(manifest)];
    }

    private static float[] Values(int length, float scale) => Enumerable.Range(0, length).Select(i => scale * (float)Math.Sin(i)).ToArray();
}
