using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Parameters;
using Backprop.Nn.Schedules;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Lane;

/// <summary>
/// A worker's lane cut in the middle of a gradient frame, with the real lane server and parameter
/// server: the step closes short-handed with the other worker's gradient alone, and nothing of the
/// half-sent frame reaches the sum.
/// </summary>
public sealed class LaneCutTests : TestKit
{
    private const string Job = "job-cut";
    private const int MaxPayload = 1 << 20;
    private const float Rate = 0.5f;
    private static readonly ParameterLayout Layout = new([20, 60, 2]);

    public LaneCutTests()
        : base(ClusterTestConfig.Hocon)
    {
    }

    [Fact]
    public async Task A_lane_cut_mid_frame_should_close_the_step_short_handed_with_nothing_of_that_frame_applied()
    {
        var initial = Enumerable.Range(0, Layout.Length).Select(i => (float)Math.Sin(i)).ToArray();
        var coordinator = CreateTestProbe();
        var server = Sys.ActorOf(ParameterServerActor.Props(new ParameterServerSetup(
            Job,
            (float[])initial.Clone(),
            new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Sgd, LearningRate = Rate }, Layout),
            new LearningRateSchedule(new ScheduleSettings(), Rate, 50, 100),
            BatchesPerEpoch: 50,
            Epoch: 0,
            Batch: 0,
            Step: 0,
            CheckpointEvery: 0,
            SliceBytes: MaxPayload / 2,
            StepTimeout: TimeSpan.FromMilliseconds(500),
            Coordinator: coordinator.Ref)));
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, Job, server, coordinator.Ref, MaxPayload);

        // Worker a: a real lane client. Worker b: a raw socket that will hang up mid-frame.
        var a = CreateTestProbe();
        await LaneClient.ConnectAsync(Sys, "127.0.0.1", lane.Port, Job, "a", a.Ref, MaxPayload);
        var laneOfA = coordinator.ExpectMsg<LaneEvents.Connected>();
        using var b = new TcpClient();
        await b.ConnectAsync("127.0.0.1", lane.Port);
        var stream = b.GetStream();
        await stream.WriteAsync(RawLaneFrames.Frame(LaneFrame.Hello, LaneFrame.HelloPayload(Job, "b")));
        Assert.Equal(LaneFrame.Welcome, await RawLaneFrames.ReadAsync(stream));
        var laneOfB = coordinator.ExpectMsg<LaneEvents.Connected>();

        server.Tell(new ParameterServerCommands.SetWorkers([new WorkerHandle("a", laneOfA.Proxy), new WorkerHandle("b", laneOfB.Proxy)]));
        server.Tell(ParameterServerCommands.Proceed.Instance);
        a.ExpectMsg<ParameterServerProtocol.Weights>().Slice.Release();
        Assert.Equal(LaneFrame.Message, await RawLaneFrames.ReadAsync(stream));

        // b sends 60% of a gradient frame whose values would swamp the step, then its connection ends.
        var swamping = Enumerable.Repeat(1000f, Layout.Length).ToArray();
        byte[] frame = RawLaneFrames.Of(new ParameterServerProtocol.Gradient(Job, 0, 1, 4, 2.0, 4, TensorSlice.Borrow(swamping, 0, swamping.Length)));
        await stream.WriteAsync(frame.AsMemory(0, frame.Length * 3 / 5));
        b.Close();
        Assert.Equal("b", coordinator.ExpectMsg<LaneEvents.Lost>().WorkerId);

        var gradient = Enumerable.Range(0, Layout.Length).Select(i => (float)Math.Cos(i * 0.37)).ToArray();
        a.LastSender.Tell(new ParameterServerProtocol.Gradient(Job, 0, 0, 4, 2.0, 3, TensorSlice.Copy(gradient.Length, 0, gradient)), a.Ref);

        // The step waits for b until its timeout, then closes with a's gradient alone.
        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>(TimeSpan.FromSeconds(5));
        Assert.Equal((1, 1, 4), (applied.Totals.Contributors, applied.Totals.Missing, applied.Totals.Samples));
        Assert.Empty(applied.Rejections);
        Assert.Equal(0, lane.RefusedConnections);
        var next = a.ExpectMsg<ParameterServerProtocol.Weights>();
        var expected = initial.Select((p, i) => p - (Rate * (gradient[i] * (1f / 4)))).ToArray();
        Assert.Equal(expected, next.Slice.Values.ToArray());
        next.Slice.Release();
    }
}
