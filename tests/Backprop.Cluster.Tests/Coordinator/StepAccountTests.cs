using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;

namespace Backprop.Cluster.Tests.Coordinator;

/// <summary>The summary's step accounting: each closed step is full or short-handed, each awaited gradient applied or missing.</summary>
public sealed class StepAccountTests
{
    [Fact]
    public void Each_step_should_count_as_full_or_short_handed_and_each_awaited_gradient_as_applied_or_missing()
    {
        var account = default(StepAccount)
            .Add(new StepTotals(Samples: 32, LossSum: 1, Correct: 20, Contributors: 3, Missing: 0))
            .Add(new StepTotals(Samples: 21, LossSum: 1, Correct: 14, Contributors: 2, Missing: 1))
            .Add(new StepTotals(Samples: 32, LossSum: 1, Correct: 20, Contributors: 3, Missing: 0))
            .Add(new StepTotals(Samples: 0, LossSum: 0, Correct: 0, Contributors: 0, Missing: 2));

        Assert.Equal(new StepAccount(FullSteps: 2, ShortHandedSteps: 2, AppliedGradients: 8, MissingGradients: 3), account);
        Assert.Equal(4, account.Steps);
    }
}
