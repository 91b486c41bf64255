using Backprop.Cluster.Coordinator;

namespace Backprop.Cluster.Tests.Coordinator;

/// <summary>The worker table as a pure function of the roster, the server's counts and the table before.</summary>
public sealed class WorkerTableBuilderTests
{
    private static readonly Dictionary<string, long> NoRejections = [];

    [Fact]
    public void Workers_in_the_steps_should_come_first_by_rank_then_the_others_by_id()
    {
        RosterEntry[] roster =
        [
            new("z", "10.0.0.9:1", WorkerState.Lost, null),
            new("b", "10.0.0.2:1", WorkerState.InSteps, 0),
            new("c", "10.0.0.3:1", WorkerState.Joining, null),
            new("a", "10.0.0.1:1", WorkerState.InSteps, 1),
        ];

        var table = WorkerTableBuilder.Build(null, 0, roster, [], 0, default, NoRejections);

        Assert.Equal(["b", "a", "c", "z"], table.Workers.Select(w => w.WorkerId));
        Assert.Equal([0, 1, (int?)null, null], table.Workers.Select(w => w.Rank));
        Assert.Equal(2, table.InSteps);
    }

    [Fact]
    public void Counts_should_join_by_worker_and_rates_come_from_the_table_before()
    {
        RosterEntry[] roster = [new("a", "h:1", WorkerState.InSteps, 0), new("b", "h:2", WorkerState.InSteps, 1)];
        var first = WorkerTableBuilder.Build(null, 0, roster, [new("a", 10, 640, 2500, 1500, 1)], 10, new StepAccount(9, 1, 19, 1), new Dictionary<string, long> { ["stale"] = 1 });

        var a = first.Workers[0];
        Assert.Equal((10L, 640L, 0.0, 2.5, 1.5, 1L), (a.Steps, a.Samples, a.SamplesPerSecond, a.LastArrivalMs, a.LastComputeMs, a.Rejected));

        // b has not sent a whole gradient yet: no timings rather than zeros.
        var b = first.Workers[1];
        Assert.Equal((0L, (double?)null, (double?)null), (b.Steps, b.LastArrivalMs, b.LastComputeMs));
        Assert.Equal((1L, 1L), (first.ShortHandedSteps, first.RejectedTotal));

        RosterEntry[] grown = [.. roster, new("c", "h:3", WorkerState.InSteps, 2)];
        var second = WorkerTableBuilder.Build(first, 0.5, grown, [new("a", 20, 1280, 3000, 1000, 1), new("b", 5, 320, 4000, 2000, 0), new("c", 1, 64, 1, 1, 0)], 20, default, NoRejections);

        // b's rate counts from its 0 samples in the table before; c is new, with no earlier reading of it: no rate yet.
        Assert.Equal([1280.0, 640, 0], second.Workers.Select(w => w.SamplesPerSecond));
    }

    [Fact]
    public void A_lost_worker_should_keep_its_counts_but_no_rate()
    {
        var before = WorkerTableBuilder.Build(null, 0, [new("a", "h:1", WorkerState.InSteps, 0)], [new("a", 10, 640, 1, 1, 0)], 10, default, NoRejections);
        var after = WorkerTableBuilder.Build(before, 1, [new("a", "h:1", WorkerState.Lost, null)], [new("a", 12, 768, 1, 1, 0)], 12, default, NoRejections);

        Assert.Equal((WorkerState.Lost, 12L, 0.0), (after.Workers[0].State, after.Workers[0].Steps, after.Workers[0].SamplesPerSecond));
    }

    [Fact]
    public void The_table_should_not_share_the_rejections_it_was_built_from()
    {
        var rejections = new Dictionary<string, long> { ["duplicate"] = 2 };
        var table = WorkerTableBuilder.Build(null, 0, [], [], 0, default, rejections);
        rejections["duplicate"] = 5;

        Assert.Equal(2, table.Rejections["duplicate"]);
    }
}
