using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.Exchange;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Sharding;
using Backprop.Cluster.Wire;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Parameters;
using Backprop.Nn.Schedules;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.ParameterServer;

/// <summary>The parameter server alone, its workers and coordinator played by probes.</summary>
public sealed class ParameterServerActorTests : TestKit
{
    // A 20-60-2 layout: 1,382 parameters, cut into slices of 256 floats (1,024 bytes).
    private static readonly ParameterLayout Layout = new([20, 60, 2]);
    private const int SliceBytes = 1024;
    private const string Job = "job";

    public ParameterServerActorTests()
        : base("akka.actor.serialize-messages = off")
    {
    }

    [Fact]
    public void A_step_should_broadcast_ranks_sum_in_rank_order_apply_sgd_and_broadcast_the_next_weights()
    {
        var (server, coordinator, a, b, initial) = Start(batchesPerEpoch: 5);

        var wa = ReceiveWeights(a);
        var wb = ReceiveWeights(b);
        Assert.Equal((0L, 0, 2), (wa.Version, wa.Rank, wa.World));
        Assert.Equal((0L, 1, 2), (wb.Version, wb.Rank, wb.World));
        Assert.Equal(initial, wa.Values);

        // Rank 1 answers first: the sum must still be rank 0 + rank 1.
        SendGradient(server, b, version: 0, rank: 1, samples: 3, valueScale: 1000f);
        SendGradient(server, a, version: 0, rank: 0, samples: 5, valueScale: 0.001f);

        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        Assert.Equal(1, applied.Step);
        Assert.Equal(8, applied.Totals.Samples);
        Assert.False(applied.Totals.ShortHanded);

        var next = ReceiveWeights(a);
        ReceiveWeights(b);
        Assert.Equal(1, next.Version);
        var expected = new float[initial.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            float sum = GradientValue(i, 0.001f) + GradientValue(i, 1000f);
            expected[i] = initial[i] - (0.5f * (sum * (1f / 8)));
        }

        Assert.Equal(expected, next.Values);
    }

    [Fact]
    public void A_step_should_report_each_ranks_compute_time_for_the_run_metrics()
    {
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 5);
        ReceiveWeights(a);
        ReceiveWeights(b);
        SendGradient(server, b, version: 0, rank: 1, samples: 1, valueScale: 1f, computeMicros: 900);
        SendGradient(server, a, version: 0, rank: 0, samples: 1, valueScale: 1f, computeMicros: 400);

        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        Assert.Equal([400L, 900], applied.ComputeMicrosByRank!);
        Assert.Equal(900, applied.Timing.Compute);
    }

    [Fact]
    public void Rejected_gradients_should_be_counted_by_reason_and_not_applied()
    {
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 5);
        ReceiveWeights(a);
        ReceiveWeights(b);

        SendGradient(server, a, version: 3, rank: 0, samples: 1, valueScale: 1f);
        SendGradient(server, b, version: 0, rank: 0, samples: 1, valueScale: 1f);
        server.Tell(new ParameterServerProtocol.Gradient(Job, 0, 0, 1, 1.0, 0, TensorSlice.Copy(Layout.Length + 5, 0, new float[10])), a.Ref);
        var poisoned = Enumerable.Repeat(float.NaN, 256).ToArray();
        server.Tell(new ParameterServerProtocol.Gradient(Job, 0, 1, 1, 1.0, 0, TensorSlice.Copy(Layout.Length, 0, poisoned)), b.Ref);
        SendGradient(server, a, version: 0, rank: 0, samples: 2, valueScale: 1f);

        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        Assert.Equal(1, applied.Totals.Contributors);
        Assert.True(applied.Totals.ShortHanded);
        int slices = TensorSlicing.SliceCount(Layout.Length, SliceBytes);
        Assert.Equal(slices, applied.Rejections["future"]);
        Assert.Equal(slices, applied.Rejections["not-member"]);
        Assert.Equal(1, applied.Rejections["wrong-length"]);
        Assert.Equal(1, applied.Rejections["non-finite"]);
    }

    [Fact]
    public void A_worker_lost_mid_step_should_close_the_step_with_the_others_and_leave_the_next_steps()
    {
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 5);
        ReceiveWeights(a);
        ReceiveWeights(b);
        SendGradient(server, a, version: 0, rank: 0, samples: 4, valueScale: 1f);

        server.Tell(new ParameterServerCommands.SetWorkers([new WorkerHandle("a", a.Ref)]));

        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        Assert.True(applied.Totals.ShortHanded);
        Assert.Equal(4, applied.Totals.Samples);
        var next = ReceiveWeights(a);
        Assert.Equal((1L, 0, 1), (next.Version, next.Rank, next.World));
        b.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_epoch_end_should_hand_a_snapshot_to_the_coordinator_and_wait_for_it()
    {
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 1);
        FirstStep(server, a, b);

        coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        var snapshot = coordinator.ExpectMsg<ParameterServerCommands.Snapshot>();
        Assert.True(snapshot.EpochEnd);
        Assert.Equal(1, snapshot.OptimizerSteps);
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        server.Tell(ParameterServerCommands.Proceed.Instance);
        var next = ReceiveWeights(a);
        Assert.Equal((1L, 1), (next.Version, next.Epoch));
        Assert.Equal(snapshot.Parameters, next.Values);
    }

    [Fact]
    public void A_halt_mid_step_should_give_the_step_up_unapplied_and_hand_over_the_last_applied_state()
    {
        var (server, coordinator, a, b, initial) = Start(batchesPerEpoch: 5);
        FirstStep(server, a, b);
        coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        var afterFirst = ReceiveWeights(a);
        ReceiveWeights(b);

        // Step 1 is open with one gradient in when the job is stopped.
        SendGradient(server, a, version: 1, rank: 0, samples: 1, valueScale: 5f);
        server.Tell(ParameterServerCommands.Halt.Instance);

        var snapshot = coordinator.ExpectMsg<ParameterServerCommands.Snapshot>();
        Assert.True(snapshot.Halted);
        Assert.False(snapshot.EpochEnd);
        Assert.Equal(1, snapshot.Step);
        Assert.Equal(afterFirst.Values, snapshot.Parameters);
        Assert.NotEqual(initial, snapshot.Parameters);

        // Nothing more is stepped: a late gradient opens nothing and no weights go out.
        SendGradient(server, b, version: 1, rank: 1, samples: 1, valueScale: 5f);
        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_halt_while_paused_should_hand_over_the_state_at_once()
    {
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 1);
        FirstStep(server, a, b);
        coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        var epochEnd = coordinator.ExpectMsg<ParameterServerCommands.Snapshot>();

        server.Tell(ParameterServerCommands.Halt.Instance);

        var halted = coordinator.ExpectMsg<ParameterServerCommands.Snapshot>();
        Assert.True(halted.Halted);
        Assert.Equal(epochEnd.Parameters, halted.Parameters);
        server.Tell(ParameterServerCommands.Proceed.Instance);
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_worker_that_times_out_steps_in_a_row_should_be_reported_once_it_reaches_the_limit()
    {
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 50, stepTimeout: TimeSpan.FromMilliseconds(300), maxMissedSteps: 2);

        // b misses step 0, answers step 1 (which forgives the miss), then misses steps 2 and 3.
        foreach (var (version, bAnswers) in new[] { (0L, false), (1L, true), (2L, false), (3L, false) })
        {
            ReceiveWeights(a);
            ReceiveWeights(b);
            SendGradient(server, a, version, rank: 0, samples: 2, valueScale: 1f);
            if (bAnswers)
            {
                SendGradient(server, b, version, rank: 1, samples: 2, valueScale: 1f);
            }

            if (version == 3)
            {
                var missed = coordinator.ExpectMsg<ParameterServerCommands.WorkerMissedSteps>();
                Assert.Equal(("b", 2), (missed.WorkerId, missed.Steps));
            }

            var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
            Assert.Equal((version + 1, !bAnswers), (applied.Step, applied.Totals.ShortHanded));
        }
    }

    [Fact]
    public void Asked_for_its_worker_counts_it_should_report_each_workers_steps_samples_timings_and_rejections()
    {
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 5);
        ReceiveWeights(a);
        ReceiveWeights(b);
        SendGradient(server, a, version: 0, rank: 0, samples: 3, valueScale: 1f, computeMicros: 400);
        SendGradient(server, b, version: 0, rank: 1, samples: 5, valueScale: 1f, computeMicros: 900);
        coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();

        // A step-0 gradient once step 1 is open: stale, counted against its sender.
        ReceiveWeights(a);
        ReceiveWeights(b);
        SendGradient(server, a, version: 0, rank: 0, samples: 3, valueScale: 1f, onlyFirstSlice: true);

        server.Tell(ParameterServerCommands.ReportWorkers.Instance, coordinator.Ref);
        var report = coordinator.ExpectMsg<ParameterServerCommands.WorkerReport>().Workers.ToDictionary(w => w.WorkerId);
        Assert.Equal((1L, 3L, 400L, 1L), (report["a"].Steps, report["a"].Samples, report["a"].LastComputeMicros, report["a"].Rejected));
        Assert.Equal((1L, 5L, 900L, 0L), (report["b"].Steps, report["b"].Samples, report["b"].LastComputeMicros, report["b"].Rejected));
        Assert.All(report.Values, w => Assert.True(w.LastArrivalMicros > 0, $"{w.WorkerId}: arrival {w.LastArrivalMicros} µs"));
    }

    [Fact]
    public void A_bucket_in_from_every_worker_should_be_applied_and_its_next_weights_sent_before_the_rest_arrives()
    {
        // Buckets in send order: layer 1's weights [1200, 1320), layer 0's [0, 1200), the biases [1320, 1382).
        var buckets = GradientBuckets.Plan(Layout, bucketBytes: 1);
        var (server, coordinator, a, b, initial) = Start(batchesPerEpoch: 5, buckets: buckets);
        ReceiveWeights(a);
        ReceiveWeights(b);
        var top = buckets.InSendOrder[0];
        Assert.Equal((1200, 120), (top.Offset, top.Count));

        SendGradient(server, a, version: 0, rank: 0, samples: 5, valueScale: 0.001f, range: top);
        SendGradient(server, b, version: 0, rank: 1, samples: 3, valueScale: 1000f, range: top);

        // The next step's weights of that bucket, while the step is still open for the others.
        foreach (var probe in new[] { a, b })
        {
            var early = probe.ExpectMsg<ParameterServerProtocol.Weights>();
            Assert.Equal((1L, top.Offset, top.Count), (early.Version, early.Slice.Offset, early.Slice.Count));
            for (int i = 0; i < top.Count; i++)
            {
                int at = top.Offset + i;
                float sum = GradientValue(at, 0.001f) + GradientValue(at, 1000f);
                Assert.Equal(initial[at] - (0.5f * (sum * (1f / 8))), early.Slice.Values[i]);
            }

            early.Slice.Release();
        }

        coordinator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        foreach (var rest in buckets.InSendOrder.Skip(1))
        {
            SendGradient(server, a, version: 0, rank: 0, samples: 5, valueScale: 0.001f, range: rest);
            SendGradient(server, b, version: 0, rank: 1, samples: 3, valueScale: 1000f, range: rest);
        }

        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        Assert.Equal((1L, 8), (applied.Step, applied.Totals.Samples));
        var expected = new float[initial.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            float sum = GradientValue(i, 0.001f) + GradientValue(i, 1000f);
            expected[i] = initial[i] - (0.5f * (sum * (1f / 8)));
        }

        var next = ReceiveWeights(a, skip: top);
        Assert.Equal((1L, 0, 2), (next.Version, next.Rank, next.World));
        Assert.Equal(expected.Where((_, i) => i < top.Offset || i >= top.End), next.Values.Where((_, i) => i < top.Offset || i >= top.End));

        // The step opened with the weights already out: the workers' gradients of step 1 are taken.
        foreach (var bucket in buckets.InSendOrder)
        {
            SendGradient(server, a, version: 1, rank: 0, samples: 1, valueScale: 1f, range: bucket);
            SendGradient(server, b, version: 1, rank: 1, samples: 1, valueScale: 1f, range: bucket);
        }

        Assert.Equal(2, coordinator.ExpectMsg<ParameterServerCommands.StepApplied>().Step);
    }

    [Fact]
    public void The_last_step_of_an_epoch_should_send_no_weights_early()
    {
        var buckets = GradientBuckets.Plan(Layout, bucketBytes: 1);
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 1, buckets: buckets);
        ReceiveWeights(a);
        ReceiveWeights(b);
        foreach (var bucket in buckets.InSendOrder)
        {
            SendGradient(server, a, version: 0, rank: 0, samples: 1, valueScale: 1f, range: bucket);
            SendGradient(server, b, version: 0, rank: 1, samples: 1, valueScale: 1f, range: bucket);
        }

        Assert.Equal(1, coordinator.ExpectMsg<ParameterServerCommands.StepApplied>().Step);
        Assert.True(coordinator.ExpectMsg<ParameterServerCommands.Snapshot>().EpochEnd);
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        server.Tell(ParameterServerCommands.Proceed.Instance);
        Assert.Equal(1, ReceiveWeights(a).Version);
    }

    [Fact]
    public void A_slice_across_a_buckets_edge_should_be_rejected_naming_the_setting()
    {
        var buckets = GradientBuckets.Plan(Layout, bucketBytes: 1);
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 5, buckets: buckets);
        ReceiveWeights(a);
        ReceiveWeights(b);

        var values = Enumerable.Range(0, Layout.Length).Select(i => GradientValue(i, 1f)).ToArray();
        server.Tell(new ParameterServerProtocol.Gradient(Job, 0, 0, 1, 0.5, 1, TensorSlice.Copy(values.Length, 1190, values.AsSpan(1190, 20))), a.Ref);
        foreach (var bucket in buckets.InSendOrder)
        {
            SendGradient(server, a, version: 0, rank: 0, samples: 1, valueScale: 1f, range: bucket);
            SendGradient(server, b, version: 0, rank: 1, samples: 1, valueScale: 1f, range: bucket);
        }

        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        Assert.Equal(1, applied.Rejections["wrong-bucket"]);
    }

    [Fact]
    public void Shard_0_of_a_sharded_server_should_fix_each_steps_workers_as_it_opens_the_step_before_and_keep_to_them()
    {
        var plan = new ShardPlan(Layout.Length, 2);
        var (offset, count) = plan.Range(0);
        var range = new GradientBucket(offset, count, 0);
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 5, shards: plan, shard: 0);

        // Opening step 0 it fixes steps 0 and 1, a step ahead: its group tells the other shards.
        AssertStepWorkers(coordinator.ExpectMsg<ParameterServerCommands.StepWorkers>(), 0, "a", "b");
        AssertStepWorkers(coordinator.ExpectMsg<ParameterServerCommands.StepWorkers>(), 1, "a", "b");
        Assert.Equal((0L, 0, 2), ReceiveRange(a, offset, count));
        Assert.Equal((0L, 1, 2), ReceiveRange(b, offset, count));

        // b leaves mid-step 0. Step 1 keeps the workers and ranks fixed for it, without waiting for b;
        // b is out of step 2, fixed as step 1 opens.
        server.Tell(new ParameterServerCommands.SetWorkers([new WorkerHandle("a", a.Ref)]));
        SendGradient(server, a, version: 0, rank: 0, samples: 2, valueScale: 1f, range: range);
        Assert.Equal((1L, 0, 2), ReceiveRange(a, offset, count));
        Assert.Equal(1, coordinator.ExpectMsg<ParameterServerCommands.StepApplied>().Step);
        AssertStepWorkers(coordinator.ExpectMsg<ParameterServerCommands.StepWorkers>(), 2, "a");
        b.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        SendGradient(server, a, version: 1, rank: 0, samples: 2, valueScale: 1f, range: range);
        Assert.Equal((2L, 0, 1), ReceiveRange(a, offset, count));
        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        Assert.Equal((2L, 1, 2), (applied.Step, applied.Totals.Contributors, applied.World));
    }

    [Fact]
    public void A_following_shard_should_open_each_step_for_the_workers_shard_0_fixed_and_never_on_its_own()
    {
        // The CI failure this guards against: a worker that became ready as step 1 opened was in shard
        // 1's step 1 but not in shard 0's; the first worker was told world 1 by one shard and world 2 by
        // the other, one shard rejected its gradient, and from then on the shards were a step apart and
        // every step timed out.
        var plan = new ShardPlan(Layout.Length, 2);
        var (offset, count) = plan.Range(1);
        var range = new GradientBucket(offset, count, 0);
        var (server, coordinator, a, b, _) = Start(batchesPerEpoch: 5, shards: plan, shard: 1);

        // It knows a and b, but shard 0 opened step 0 for a alone: so does it.
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        server.Tell(new ParameterServerCommands.FollowStep(0, ["a"]));
        Assert.Equal((0L, 0, 1), ReceiveRange(a, offset, count));
        b.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Step 0 closes with a's range; step 1 waits for shard 0's word, which ranks b first.
        SendGradient(server, a, version: 0, rank: 0, samples: 2, valueScale: 1f, range: range);
        Assert.Equal(1, coordinator.ExpectMsg<ParameterServerCommands.StepApplied>().Step);
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        server.Tell(new ParameterServerCommands.FollowStep(1, ["b", "a"]));
        Assert.Equal((1L, 0, 2), ReceiveRange(b, offset, count));
        Assert.Equal((1L, 1, 2), ReceiveRange(a, offset, count));

        // Told step 2's workers before step 1 closes, it sends their weights as soon as its range is
        // applied; a worker not in its own roster (its lane here down) is left out of the step, not waited for.
        server.Tell(new ParameterServerCommands.FollowStep(2, ["b", "c"]));
        SendGradient(server, b, version: 1, rank: 0, samples: 1, valueScale: 1f, range: range);
        SendGradient(server, a, version: 1, rank: 1, samples: 1, valueScale: 1f, range: range);
        Assert.Equal((2L, 0, 2), ReceiveRange(b, offset, count));
        Assert.Equal(2, coordinator.ExpectMsg<ParameterServerCommands.StepApplied>().Step);
        SendGradient(server, b, version: 2, rank: 0, samples: 1, valueScale: 1f, range: range);
        var applied = coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();
        Assert.Equal((3L, 1, 2), (applied.Step, applied.Totals.Contributors, applied.World));
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_following_shard_halted_while_it_waits_for_shard_0_should_hand_over_its_state()
    {
        var plan = new ShardPlan(Layout.Length, 2);
        var (offset, count) = plan.Range(1);
        var (server, coordinator, a, _, _) = Start(batchesPerEpoch: 5, shards: plan, shard: 1);
        server.Tell(new ParameterServerCommands.FollowStep(0, ["a"]));
        ReceiveRange(a, offset, count);
        SendGradient(server, a, version: 0, rank: 0, samples: 2, valueScale: 1f, range: new GradientBucket(offset, count, 0));
        coordinator.ExpectMsg<ParameterServerCommands.StepApplied>();

        // Between steps, waiting for shard 0's word on step 1: nothing is half applied, it halts at once.
        server.Tell(ParameterServerCommands.Halt.Instance);

        var snapshot = coordinator.ExpectMsg<ParameterServerCommands.Snapshot>();
        Assert.True(snapshot.Halted);
        Assert.Equal(1, snapshot.Step);
    }

    private static void AssertStepWorkers(ParameterServerCommands.StepWorkers told, long step, params string[] workers)
    {
        Assert.Equal(step, told.Step);
        Assert.Equal(workers, told.WorkerIds);
    }

    /// <summary>A shard's range of one step's weights: its version, and the rank and world it was sent with.</summary>
    private static (long Version, int Rank, int World) ReceiveRange(Akka.TestKit.TestProbe probe, int offset, int count)
    {
        int received = 0;
        ParameterServerProtocol.Weights? last = null;
        while (received < count)
        {
            last = probe.ExpectMsg<ParameterServerProtocol.Weights>();
            Assert.InRange(last.Slice.Offset, offset, offset + count - last.Slice.Count);
            received += last.Slice.Count;
            last.Slice.Release();
        }

        return (last!.Version, last.Rank, last.World);
    }

    private (IActorRef Server, Akka.TestKit.TestProbe Coordinator, Akka.TestKit.TestProbe A, Akka.TestKit.TestProbe B, float[] Initial) Start(
        int batchesPerEpoch, TimeSpan? stepTimeout = null, int maxMissedSteps = 3, GradientBuckets? buckets = null, ShardPlan? shards = null, int shard = 0)
    {
        var initial = Enumerable.Range(0, Layout.Length).Select(i => (float)Math.Sin(i)).ToArray();
        var optimizer = new Optimizer(new OptimizerSettings { Kind = OptimizerKind.Sgd, LearningRate = 0.5 }, Layout);
        var schedule = new LearningRateSchedule(new ScheduleSettings(), 0.5, batchesPerEpoch, 100);
        var coordinator = CreateTestProbe();
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        var server = Sys.ActorOf(ParameterServerActor.Props(new ParameterServerSetup(
            Job, (float[])initial.Clone(), optimizer, schedule, batchesPerEpoch, 0, 0, 0, 0, SliceBytes, stepTimeout ?? TimeSpan.FromSeconds(20), coordinator.Ref, maxMissedSteps, buckets, Shards: shards, Shard: shard)));
        server.Tell(new ParameterServerCommands.SetWorkers([new WorkerHandle("a", a.Ref), new WorkerHandle("b", b.Ref)]));
        server.Tell(ParameterServerCommands.Proceed.Instance);
        return (server, coordinator, a, b, initial);
    }

    /// <summary>Both workers take the first weights and answer them with one sample each.</summary>
    private static void FirstStep(IActorRef server, Akka.TestKit.TestProbe a, Akka.TestKit.TestProbe b)
    {
        ReceiveWeights(a);
        ReceiveWeights(b);
        SendGradient(server, a, version: 0, rank: 0, samples: 1, valueScale: 1f);
        SendGradient(server, b, version: 0, rank: 1, samples: 1, valueScale: 1f);
    }

    private static float GradientValue(int i, float scale) => scale * (float)Math.Cos(i * 0.37);

    private static void SendGradient(
        IActorRef server, Akka.TestKit.TestProbe from, long version, int rank, int samples, float valueScale, bool onlyFirstSlice = false, long computeMicros = 0, GradientBucket? range = null)
    {
        var values = Enumerable.Range(0, Layout.Length).Select(i => GradientValue(i, valueScale)).ToArray();
        var (first, length) = range is { } r ? (r.Offset, r.Count) : (0, values.Length);
        foreach (var (within, count) in TensorSlicing.Ranges(length, SliceBytes))
        {
            int offset = first + within;
            server.Tell(new ParameterServerProtocol.Gradient(Job, version, rank, samples, samples * 0.5, samples, TensorSlice.Copy(values.Length, offset, values.AsSpan(offset, count)), computeMicros), from.Ref);
            if (onlyFirstSlice)
            {
                return;
            }
        }
    }

    private static Received ReceiveWeights(Akka.TestKit.TestProbe probe, GradientBucket? skip = null)
    {
        var values = new float[Layout.Length];
        var assembly = new TensorAssembly(Layout.Length);
        if (skip is { } taken)
        {
            // Received already, early.
            assembly.Add(TensorSlice.Copy(Layout.Length, taken.Offset, new float[taken.Count]), values);
        }

        ParameterServerProtocol.Weights? last = null;
        while (!assembly.IsComplete)
        {
            last = probe.ExpectMsg<ParameterServerProtocol.Weights>();
            Assert.Equal(AssemblyOutcome.Accepted, assembly.Add(last.Slice, values));
            last.Slice.Release();
        }

        return new Received(last!.Version, last.Epoch, last.Rank, last.World, values);
    }

    private sealed record Received(long Version, int Epoch, int Rank, int World, float[] Values);
}
