using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Worker;
using Backprop.Nn.Models;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Cluster.Tests.Worker;

/// <summary>The worker alone: the coordinator and the parameter server are probes.</summary>
public sealed class WorkerActorTests : TestKit
{
    private const int SliceBytes = 40_000;
    private readonly JobFixture _job = new(batchSize: 100);

    public WorkerActorTests()
        : base(ClusterTestConfig.Hocon)
    {
    }

    [Fact]
    public void A_step_should_go_from_weights_to_the_gradient_of_its_slice()
    {
        var setup = _job.Setup();
        var coordinator = CreateTestProbe();
        var server = CreateTestProbe();
        var worker = Sys.ActorOf(WorkerActor.Props(new WorkerOptions(1, SliceBytes, TimeSpan.FromMinutes(5), _ => { })));

        worker.Tell(new WorkerProtocol.JobOffer("job", _job.ConfigText), coordinator.Ref);
        var ready = coordinator.ExpectMsg<CoordinatorProtocol.WorkerReady>(TimeSpan.FromSeconds(30));
        Assert.Equal(setup.Fingerprint, ready.DataFingerprint);

        // Step 7 = batch 7 of epoch 0, this worker rank 1 of 3.
        var weights = setup.Parameters;
        foreach (var (offset, count) in TensorSlicing.Ranges(weights.Length, SliceBytes))
        {
            worker.Tell(new ParameterServerProtocol.Weights("job", 7, 0, 7, 1, 3, TensorSlice.Copy(weights.Length, offset, weights.AsSpan(offset, count))), server.Ref);
        }

        var gradient = new float[weights.Length];
        var assembly = new TensorAssembly(weights.Length);
        ParameterServerProtocol.Gradient? last = null;
        while (!assembly.IsComplete)
        {
            last = server.ExpectMsg<ParameterServerProtocol.Gradient>(TimeSpan.FromSeconds(30));
            Assert.Equal((7L, 1), (last.Version, last.Rank));
            Assert.Equal(AssemblyOutcome.Accepted, assembly.Add(last.Slice, gradient));
        }

        // The same slice computed here: rows [33, 66) of batch 7, dropout draws of step 7.
        using var gemm = new GemmEngine(new GemmOptions { Threads = 1 });
        var local = new SliceTrainer(new Network(setup.Spec, (float[])weights.Clone(), gemm), setup.Data.Train, _job.Settings.Training.Seed, 100);
        var result = local.Compute(7, 0, 7, 1, 3);
        Assert.Equal(33, last!.Samples);
        Assert.Equal(result.LossSum, last.LossSum);
        Assert.Equal(local.Gradient, gradient);
    }

    [Fact]
    public async Task A_worker_whose_lane_breaks_should_reconnect_and_go_on_stepping_over_the_new_connection()
    {
        var setup = _job.Setup();
        var coordinator = CreateTestProbe();
        var server = CreateTestProbe();
        await using var lane = LaneServer.Start(Sys, "127.0.0.1", 0, "job", server.Ref, coordinator.Ref, 8 << 20);
        var worker = Sys.ActorOf(WorkerActor.Props(new WorkerOptions(1, SliceBytes, TimeSpan.FromMinutes(5), _ => { })));

        worker.Tell(new WorkerProtocol.JobOffer("job", _job.ConfigText, "127.0.0.1", lane.Port), coordinator.Ref);
        coordinator.ExpectMsg<CoordinatorProtocol.WorkerReady>(TimeSpan.FromSeconds(30));
        var first = coordinator.ExpectMsg<LaneEvents.Connected>(TimeSpan.FromSeconds(10));

        // Something the worker's end refuses (a gradient coming down) breaks the connection: both ends
        // hear of it, and the worker dials again.
        first.Proxy.Tell(new ParameterServerProtocol.Gradient("job", 0, 0, 1, 1, 0, TensorSlice.Copy(4, 0, new float[4])));
        Assert.Equal(first.WorkerId, coordinator.ExpectMsg<LaneEvents.Lost>(TimeSpan.FromSeconds(10)).WorkerId);
        var second = coordinator.ExpectMsg<LaneEvents.Connected>(TimeSpan.FromSeconds(10));
        Assert.Equal(first.WorkerId, second.WorkerId);
        Assert.NotEqual(first.Proxy, second.Proxy);
        Assert.Equal(0, lane.RefusedConnections);

        var weights = setup.Parameters;
        second.Proxy.Tell(new ParameterServerProtocol.Weights("job", 3, 0, 3, 0, 1, TensorSlice.Copy(weights.Length, 0, weights)));
        var gradient = server.ExpectMsg<ParameterServerProtocol.Gradient>(TimeSpan.FromSeconds(30));
        Assert.Equal((3L, 0, 100), (gradient.Version, gradient.Rank, gradient.Samples));
        Assert.Equal(second.Proxy, server.LastSender);
        gradient.Slice.Release();
    }

    [Fact]
    public void A_refusal_should_end_the_worker_with_the_reason()
    {
        string? failure = null;
        var done = new ManualResetEventSlim();
        var worker = Sys.ActorOf(WorkerActor.Props(new WorkerOptions(1, SliceBytes, TimeSpan.FromMinutes(5), f =>
        {
            failure = f;
            done.Set();
        })));

        worker.Tell(new WorkerProtocol.Refused("wire version 9"), Akka.Actor.ActorRefs.NoSender);

        Assert.True(done.Wait(TimeSpan.FromSeconds(10)));
        Assert.Contains("wire version 9", failure, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _job.Dispose();
    }
}
