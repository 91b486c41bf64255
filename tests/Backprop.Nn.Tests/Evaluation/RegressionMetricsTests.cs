using Backprop.Nn.Evaluation;

namespace Backprop.Nn.Tests.Evaluation;

public sealed class RegressionMetricsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Compute_should_match_a_hand_computed_single_target_example()
    {
        // errors 0.5, 0, -0.5, 1 → SS_res = 1.5, |e| sum = 2; mean of actual 2.5 → SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5
        var m = RegressionMetrics.Compute([1.5f, 2f, 2.5f, 5f], [1f, 2f, 3f, 4f], targetCount: 1, totalLoss: 0.75);

        Assert.Equal(4, m.Samples);
        Assert.Equal(1, m.TargetCount);
        Assert.Equal(0.1875, m.Loss, Tolerance);
        Assert.Equal(0.375, m.Mse, Tolerance);
        Assert.Equal(0.5, m.Mae, Tolerance);
        Assert.Equal(0.7, m.R2, Tolerance);
        Assert.Equal(1.25, m.BaselineMse, Tolerance);
        Assert.True(m.BeatsBaseline);
    }

    [Fact]
    public void Compute_should_average_r2_over_targets_of_a_sample_major_layout()
    {
        // samples (actual → predicted): (1, 10) → (1, 12); (2, 20) → (2, 18); (3, 30) → (4, 30)
        // target 0: SS_res 1, SS_tot 2 → R² 0.5; target 1: SS_res 8, SS_tot 200 → R² 0.96
        var m = RegressionMetrics.Compute([1f, 12f, 2f, 18f, 4f, 30f], [1f, 10f, 2f, 20f, 3f, 30f], targetCount: 2, totalLoss: 9);

        Assert.Equal(3, m.Samples);
        Assert.Equal(3.0, m.Loss, Tolerance);
        Assert.Equal(1.5, m.Mse, Tolerance);                 // (1 + 8) / 6
        Assert.Equal(0.833333333333, m.Mae, 1e-11);          // (0 + 2 + 0 + 2 + 1 + 0) / 6
        Assert.Equal(0.73, m.R2, Tolerance);                  // (0.5 + 0.96) / 2
        Assert.Equal(33.666666666667, m.BaselineMse, 1e-11);  // (2 + 200) / 6
    }

    [Fact]
    public void Compute_should_give_a_negative_r2_to_a_model_worse_than_the_mean()
    {
        // SS_res = 4 + 0 + 4 = 8, SS_tot = 2 → R² = 1 − 4 = −3
        var m = RegressionMetrics.Compute([3f, 2f, 1f], [1f, 2f, 3f], targetCount: 1, totalLoss: 0);

        Assert.Equal(-3.0, m.R2, Tolerance);
        Assert.Equal(2.666666666667, m.Mse, 1e-11);
        Assert.Equal(0.666666666667, m.BaselineMse, 1e-11);
        Assert.False(m.BeatsBaseline);
    }

    [Fact]
    public void Compute_should_give_one_for_a_perfect_fit()
    {
        var m = RegressionMetrics.Compute([1f, -2f, 3f], [1f, -2f, 3f], targetCount: 1, totalLoss: 0);

        Assert.Equal(0.0, m.Mse);
        Assert.Equal(0.0, m.Mae);
        Assert.Equal(1.0, m.R2);
        Assert.True(m.BeatsBaseline);
    }

    [Fact]
    public void Compute_should_define_r2_of_a_constant_target_as_zero_whether_fitted_or_not()
    {
        var fitted = RegressionMetrics.Compute([2f, 2f, 2f], [2f, 2f, 2f], targetCount: 1, totalLoss: 0);
        var missed = RegressionMetrics.Compute([1f, 2f, 3f], [2f, 2f, 2f], targetCount: 1, totalLoss: 0);

        Assert.Equal(0.0, fitted.R2);
        Assert.Equal(0.0, fitted.BaselineMse);
        Assert.False(fitted.BeatsBaseline);
        Assert.Equal(0.0, missed.R2);
        Assert.Equal(0.666666666667, missed.Mse, 1e-11);
        Assert.False(missed.BeatsBaseline);
    }

    [Fact]
    public void Compute_should_keep_a_constant_target_from_spoiling_the_average()
    {
        // target 0 as in the single-target example (R² 0.7), target 1 constant 5 (R² defined 0).
        var m = RegressionMetrics.Compute([1.5f, 5f, 2f, 5f, 2.5f, 6f, 5f, 5f], [1f, 5f, 2f, 5f, 3f, 5f, 4f, 5f], targetCount: 2, totalLoss: 0);

        Assert.Equal(0.35, m.R2, Tolerance);
        Assert.Equal(0.3125, m.Mse, Tolerance); // (1.5 + 1) / 8
    }

    [Fact]
    public void Compute_should_not_lose_precision_far_from_zero()
    {
        // Float values near 10⁶: sums of squares about zero would cancel; deviations about the mean do not.
        var m = RegressionMetrics.Compute([1_000_000f, 1_000_001f, 1_000_003f], [1_000_000f, 1_000_001f, 1_000_002f], targetCount: 1, totalLoss: 0);

        Assert.Equal(0.5, m.R2, Tolerance); // SS_res 1, SS_tot 2
        Assert.Equal(0.333333333333, m.Mse, 1e-11);
    }

    [Fact]
    public void Compute_should_report_a_diverged_model_as_NaN_rather_than_throw()
    {
        var m = RegressionMetrics.Compute([float.NaN, 1f], [1f, 2f], targetCount: 1, totalLoss: double.NaN);

        Assert.True(double.IsNaN(m.Mse));
        Assert.True(double.IsNaN(m.R2));
        Assert.True(double.IsNaN(m.Loss));
        Assert.False(m.BeatsBaseline);
    }

    [Fact]
    public void Compute_should_reject_mismatched_empty_and_partial_input_with_clear_messages()
    {
        var lengths = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1f, 2f], [1f], 1, 0));
        var empty = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([], [], 1, 0));
        var partial = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1f, 2f, 3f], [1f, 2f, 3f], 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionMetrics.Compute([1f], [1f], 0, 0));

        Assert.StartsWith("There are 2 predicted values but 1 actual ones", lengths.Message, StringComparison.Ordinal);
        Assert.StartsWith("There are no samples", empty.Message, StringComparison.Ordinal);
        Assert.StartsWith("3 values are not whole samples of 2 targets each.", partial.Message, StringComparison.Ordinal);
    }
}
