using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Worker;
using Backprop.Nn.Jobs;

namespace Backprop.Cluster.Tests.Coordinator;

/// <summary>The coordinator (with its parameter server) alone: the workers are probes.</summary>
public sealed class CoordinatorActorTests : TestKit
{
    private readonly JobFixture _job = new(batchSize: 100);
    private string _jobId = string.Empty;

    public CoordinatorActorTests()
        : base(ClusterTestConfig.Hocon)
    {
    }

    [Fact]
    public void The_job_should_start_at_min_workers_with_a_rank_each_and_go_on_without_a_lost_member()
    {
        var setup = _job.Setup();
        var coordinator = Start(setup, minWorkers: 2);
        var a = Register(coordinator, setup, "a");
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var b = Register(coordinator, setup, "b");

        var wa = FirstWeights(a);
        var wb = FirstWeights(b);
        Assert.Equal((0L, 0, 2), (wa.Version, wa.Rank, wa.World));
        Assert.Equal((0L, 1, 2), (wb.Version, wb.Rank, wb.World));

        // b dies before answering: the step closes with a's gradient, the next one is a's alone.
        Drain(a);
        Answer(a, _jobId, setup.Parameters.Length, version: 0, rank: 0);
        Sys.Stop(b.Ref);
        var next = FirstWeights(a, version: 1);
        Assert.Equal((0, 1), (next.Rank, next.World));
    }

    [Fact]
    public void A_worker_with_another_wire_version_or_other_data_should_be_refused()
    {
        var setup = _job.Setup();
        var coordinator = Start(setup, minWorkers: 1);

        var old = CreateTestProbe();
        coordinator.Tell(new CoordinatorProtocol.RegisterWorker("old", WireVersion.Current + 1, "0.0", 1), old.Ref);
        Assert.Contains("wire version", old.ExpectMsg<WorkerProtocol.Refused>().Reason, StringComparison.Ordinal);

        var other = CreateTestProbe();
        coordinator.Tell(new CoordinatorProtocol.RegisterWorker("other", WireVersion.Current, "0.0", 1), other.Ref);
        var offer = other.ExpectMsg<WorkerProtocol.JobOffer>();
        coordinator.Tell(new CoordinatorProtocol.WorkerReady(offer.JobId, setup.Fingerprint ^ 1, 10), other.Ref);
        Assert.Contains("differs", other.ExpectMsg<WorkerProtocol.Refused>().Reason, StringComparison.Ordinal);
        other.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void An_observer_of_worker_tables_should_get_snapshots_of_the_roster_and_the_steps()
    {
        var setup = _job.Setup();
        var tables = CreateTestProbe();
        var coordinator = Sys.ActorOf(
            CoordinatorActor.Props(new CoordinatorOptions(setup, new ClusterSettings { MinWorkers = 2, SliceBytes = 400_000, Transport = "akka" }, _ => { }, new TableObserver(tables))
            {
                WorkerTableEvery = TimeSpan.FromMilliseconds(50),
            }),
            CoordinatorActor.Name);

        // Before the job: a registered worker is joining, a ready one waits for the second.
        var a = Register(coordinator, setup, "a");
        var waiting = tables.FishForMessage<WorkerTable>(t => t.Workers.Count == 1 && t.Workers[0].State == WorkerState.Ready, TimeSpan.FromSeconds(10));
        Assert.Equal(("a", 0L), (waiting.Workers[0].WorkerId, waiting.Step));

        var b = Register(coordinator, setup, "b");
        FirstWeights(a);
        FirstWeights(b);
        Drain(a);
        Drain(b);
        Answer(a, _jobId, setup.Parameters.Length, version: 0, rank: 0);
        Answer(b, _jobId, setup.Parameters.Length, version: 0, rank: 1);
        var stepped = tables.FishForMessage<WorkerTable>(t => t.Step == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(["a", "b"], stepped.Workers.Select(w => w.WorkerId));
        Assert.All(stepped.Workers, w => Assert.Equal((WorkerState.InSteps, 1L), (w.State, w.Steps)));
        Assert.Equal((1L, 0L), (stepped.Account.FullSteps, stepped.ShortHandedSteps));

        // b goes: it stays in the table as lost, and a is rank 0 of the steps left.
        Sys.Stop(b.Ref);
        var lost = tables.FishForMessage<WorkerTable>(t => t.Workers.Any(w => w.State == WorkerState.Lost), TimeSpan.FromSeconds(10));
        Assert.Equal([("a", WorkerState.InSteps, (int?)0), ("b", WorkerState.Lost, null)], lost.Workers.Select(w => (w.WorkerId, w.State, w.Rank)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _job.Dispose();
    }

    /// <summary>Hands every table to a probe: what a live view does with it, minus the drawing.</summary>
    private sealed class TableObserver(TestProbe probe) : Backprop.Nn.Training.ITrainingObserver, IWorkerTableObserver
    {
        public void StepCompleted(in Backprop.Nn.Training.TrainingProgress progress)
        {
        }

        public void EpochCompleted(Backprop.Nn.Training.EpochReport report)
        {
        }

        public void WorkersUpdated(WorkerTable table) => probe.Ref.Tell(table);
    }

    private IActorRef Start(TrainingSetup setup, int minWorkers) =>
        Sys.ActorOf(CoordinatorActor.Props(new CoordinatorOptions(setup, new ClusterSettings { MinWorkers = minWorkers, SliceBytes = 400_000, Transport = "akka" }, _ => { })), CoordinatorActor.Name);

    private TestProbe Register(IActorRef coordinator, TrainingSetup setup, string id)
    {
        var probe = CreateTestProbe();
        coordinator.Tell(new CoordinatorProtocol.RegisterWorker(id, WireVersion.Current, "test", 1), probe.Ref);
        var offer = probe.ExpectMsg<WorkerProtocol.JobOffer>();
        Assert.Equal(_job.ConfigText, offer.ConfigText);
        _jobId = offer.JobId;
        coordinator.Tell(new CoordinatorProtocol.WorkerReady(offer.JobId, setup.Fingerprint, setup.Data.Train.Count), probe.Ref);
        return probe;
    }

    private static ParameterServerProtocol.Weights FirstWeights(TestProbe probe, long version = 0)
    {
        while (true)
        {
            var weights = probe.ExpectMsg<ParameterServerProtocol.Weights>(TimeSpan.FromSeconds(30));
            weights.Slice.Release();
            if (weights.Version == version && weights.Slice.Offset == 0)
            {
                return weights;
            }
        }
    }

    private static void Drain(TestProbe probe)
    {
        while (probe.HasMessages)
        {
            if (probe.ReceiveOne(TimeSpan.Zero) is ParameterServerProtocol.Weights w)
            {
                w.Slice.Release();
            }
        }
    }

    private static void Answer(TestProbe worker, string jobId, int length, long version, int rank)
    {
        var server = worker.LastSender;
        var values = new float[length];
        values.AsSpan().Fill(0.01f);
        server.Tell(new ParameterServerProtocol.Gradient(jobId, version, rank, 1, 1.0, 1, TensorSlice.Copy(length, 0, values)), worker.Ref);
    }
}
