using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.ParameterServer;

public sealed class ParameterServerStateTests
{
    private const int Length = 10;
    private const string Job = "job";

    [Fact]
    public void Sum_should_be_in_rank_order_whatever_order_the_gradients_arrive_in()
    {
        var inOrder = Run(["a", "b", "c"], [("a", 0), ("b", 1), ("c", 2)]);
        var reversed = Run(["a", "b", "c"], [("c", 2), ("a", 0), ("b", 1)]);

        Assert.Equal(inOrder.Total, reversed.Total);
        Assert.Equal(new StepTotals(6, 6.0, 3, 3, 0), inOrder.Totals);

        // ((g0 + g1) + g2), the local sliced trainer's float operations.
        var expected = new float[Length];
        for (int i = 0; i < Length; i++)
        {
            expected[i] = (Value(0, i) + Value(1, i)) + Value(2, i);
        }

        Assert.Equal(expected, inOrder.Total);
    }

    [Fact]
    public void With_a_backup_worker_a_step_should_close_with_the_first_two_of_three_and_call_the_third_late()
    {
        var state = new ParameterServerState(Job, Length, backupWorkers: 1);
        state.Open(0, ["a", "b", "c"]);

        state.Accept("c", Gradient(0, 2, 2));
        Assert.False(state.IsComplete);
        state.Accept("a", Gradient(0, 0, 0));
        Assert.True(state.IsComplete);

        var total = new float[Length];
        var totals = state.Close(total);
        Assert.Equal(new StepTotals(4, 4.0, 2, Contributors: 2, Missing: 0, LeftOut: 1), totals);
        Assert.False(totals.ShortHanded);
        var expected = new float[Length];
        for (int i = 0; i < Length; i++)
        {
            expected[i] = Value(0, i) + Value(2, i);
        }

        Assert.Equal(expected, total);

        state.Open(1, ["a", "b", "c"]);
        Assert.Equal("late", state.Accept("b", Gradient(0, 1, 1)).Reason);
        Assert.Equal("stale", state.Accept("a", Gradient(0, 0, 0)).Reason);
    }

    [Fact]
    public void With_a_backup_worker_one_that_left_should_not_lower_the_quorum_below_one()
    {
        var state = new ParameterServerState(Job, Length, backupWorkers: 1);
        state.Open(0, ["a", "b"]);

        state.Drop("b");
        Assert.False(state.IsComplete);
        state.Accept("a", Gradient(0, 0, 0));
        Assert.Equal(new StepTotals(2, 2.0, 1, Contributors: 1, Missing: 1, LeftOut: 0), state.Close(new float[Length]));
    }

    [Fact]
    public void With_staleness_a_gradient_on_older_weights_should_be_taken_up_to_the_bound_and_one_cut_for_another_world_refused()
    {
        var state = new ParameterServerState(Job, Length, staleness: 1);
        state.Open(5, ["a", "b"]);

        Assert.Equal("too-stale", state.Accept("a", Gradient(5, 0, 0) with { WeightsVersion = 3 }).Reason);
        Assert.Equal("wrong-world", state.Accept("a", Gradient(5, 0, 0) with { WeightsVersion = 4, World = 3 }).Reason);
        Assert.True(state.Accept("a", Gradient(5, 0, 0) with { WeightsVersion = 4, World = 2 }).Accepted);
        Assert.True(state.Accept("b", Gradient(5, 1, 1) with { WeightsVersion = 5, World = 2 }).Accepted);

        Assert.Equal(1, state.Close(new float[Length]).StepsBehind);
    }

    [Fact]
    public void Without_staleness_a_gradient_on_older_weights_should_be_refused()
    {
        var state = new ParameterServerState(Job, Length);
        state.Open(5, ["a"]);

        Assert.Equal("too-stale", state.Accept("a", Gradient(5, 0, 0) with { WeightsVersion = 4 }).Reason);
    }

    [Fact]
    public void A_whole_gradient_should_be_kept_without_a_copy_and_sum_like_one_that_came_in_slices()
    {
        var state = new ParameterServerState(Job, Length);
        state.Open(0, ["a", "b"]);

        var whole = state.Accept("a", Gradient(0, 0, 0));
        var firstHalf = state.Accept("b", Gradient(0, 1, 1, offset: 0, count: 4));
        var secondHalf = state.Accept("b", Gradient(0, 1, 1, offset: 4, count: 6));
        Assert.Equal("duplicate", state.Accept("a", Gradient(0, 0, 0)).Reason);

        Assert.True(whole is { Accepted: true, Kept: true });
        Assert.True(firstHalf is { Accepted: true, Kept: false });
        Assert.True(secondHalf is { Accepted: true, Kept: false });
        var total = new float[Length];
        state.Close(total);
        Assert.Equal(Run(["a", "b"], [("a", 0), ("b", 1)]).Total, total);
    }

    [Fact]
    public void Stale_future_duplicate_wrong_length_non_member_and_non_finite_gradients_should_be_rejected_with_their_reason()
    {
        var state = new ParameterServerState(Job, Length);
        state.Open(5, ["a", "b"]);

        Assert.Equal("stale", state.Accept("a", Gradient(4, 0, 0)).Reason);
        Assert.Equal("future", state.Accept("a", Gradient(6, 0, 0)).Reason);
        Assert.Equal("not-member", state.Accept("x", Gradient(5, 0, 0)).Reason);
        Assert.Equal("not-member", state.Accept("a", Gradient(5, 1, 0)).Reason);
        Assert.Equal("other-job", state.Accept("a", Gradient(5, 0, 0) with { JobId = "other" }).Reason);
        Assert.Equal("wrong-length", state.Accept("a", Gradient(5, 0, 0, totalLength: Length + 1)).Reason);
        Assert.True(state.Accept("a", Gradient(5, 0, 0, offset: 0, count: 4)).Accepted);
        Assert.Equal("duplicate", state.Accept("a", Gradient(5, 0, 0, offset: 2, count: 4)).Reason);
        Assert.True(state.Accept("a", Gradient(5, 0, 0, offset: 4, count: 6)).Accepted);
        Assert.Equal("non-finite", state.Accept("b", Gradient(5, 1, 1, poison: true)).Reason);

        Assert.True(state.IsComplete);
        var totals = state.Close(new float[Length]);
        Assert.Equal(1, totals.Contributors);
        Assert.Equal(1, totals.Missing);
        Assert.True(totals.ShortHanded);
        Assert.Equal(8, state.RejectedTotal);
    }

    [Fact]
    public void A_dropped_worker_should_close_the_step_with_the_gradients_that_arrived()
    {
        var state = new ParameterServerState(Job, Length);
        state.Open(0, ["a", "b", "c"]);
        state.Accept("a", Gradient(0, 0, 0));
        state.Accept("c", Gradient(0, 2, 2));
        Assert.False(state.IsComplete);

        Assert.True(state.Drop("b"));
        Assert.True(state.IsComplete);
        var total = new float[Length];
        var totals = state.Close(total);

        Assert.Equal(new StepTotals(4, 4.0, 2, 2, 1), totals);
        Assert.Equal(Enumerable.Range(0, Length).Select(i => Value(0, i) + Value(2, i)), total);
    }

    [Fact]
    public void A_timed_out_step_should_drop_everyone_still_missing()
    {
        var state = new ParameterServerState(Job, Length);
        state.Open(0, ["a", "b"]);
        state.Accept("a", Gradient(0, 0, 0));

        Assert.Equal(["b"], state.DropWaiting());
        Assert.Equal(1, state.Close(new float[Length]).Missing);
    }

    [Fact]
    public void Slices_that_disagree_on_the_samples_should_be_rejected()
    {
        var state = new ParameterServerState(Job, Length);
        state.Open(0, ["a"]);
        state.Accept("a", Gradient(0, 0, 0, offset: 0, count: 5));
        Assert.Equal("inconsistent", state.Accept("a", Gradient(0, 0, 0, offset: 5, count: 5) with { Samples = 99 }).Reason);
    }

    private static (float[] Total, StepTotals Totals) Run(string[] workers, (string Worker, int Rank)[] arrivals)
    {
        var state = new ParameterServerState(Job, Length);
        state.Open(0, workers);
        foreach (var (worker, rank) in arrivals)
        {
            Assert.True(state.Accept(worker, Gradient(0, rank, rank)).Accepted);
        }

        var total = new float[Length];
        return (total, state.Close(total));
    }

    // Values whose sums round differently in different orders, so the order shows.
    private static float Value(int rank, int i) => (float)(Math.Pow(10, rank * 3) * (1 + (0.123456789 * (i + 1)))) / 7f;

    private static ParameterServerProtocol.Gradient Gradient(long version, int rank, int valueRank, int offset = 0, int count = Length, int totalLength = Length, bool poison = false)
    {
        var values = Enumerable.Range(offset, count).Select(i => Value(valueRank, i)).ToArray();
        if (poison)
        {
            values[0] = float.NaN;
        }

        return new ParameterServerProtocol.Gradient(Job, version, rank, Samples: 2, LossSum: 2.0, Correct: 1, TensorSlice.Copy(totalLength, offset, values));
    }
}
