using Backprop.Nn.Evaluation;

namespace Backprop.Nn.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Compute_should_match_a_hand_computed_three_class_example()
    {
        // actual:    0 0 1 1 2 2
        // predicted: 0 1 1 1 2 0      → 4 of 6 correct
        // class 0: predicted twice, right once (P 1/2); 2 samples, 1 found (R 1/2); F1 1/2
        // class 1: predicted 3 times, right twice (P 2/3); 2 samples, 2 found (R 1); F1 2·(2/3)/(5/3) = 4/5
        // class 2: predicted once, right once (P 1); 2 samples, 1 found (R 1/2); F1 2·(1/2)/(3/2) = 2/3
        var m = ClassificationMetrics.Compute([0, 1, 1, 1, 2, 0], [0, 0, 1, 1, 2, 2], classCount: 3, totalLoss: 3.0);

        Assert.Equal(6, m.Samples);
        Assert.Equal(3, m.ClassCount);
        Assert.Equal(0.5, m.Loss, Tolerance);
        Assert.Equal(4, m.Correct);
        Assert.Equal(0.666666666667, m.Accuracy, 1e-11);
        AssertEqual([0.5, 0.666666666667, 1.0], m.Precision, 1e-11);
        AssertEqual([0.5, 1.0, 0.5], m.Recall, Tolerance);
        AssertEqual([0.5, 0.8, 0.666666666667], m.F1, 1e-11);
        Assert.Equal([2, 2, 2], m.Support);
        Assert.Equal(0.722222222222, m.MacroPrecision, 1e-11); // (1/2 + 2/3 + 1) / 3 = 13/18
        Assert.Equal(0.666666666667, m.MacroRecall, 1e-11);    // (1/2 + 1 + 1/2) / 3
        Assert.Equal(0.655555555556, m.MacroF1, 1e-11);        // (1/2 + 4/5 + 2/3) / 3 = 59/90
        Assert.Equal(new int[,] { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 1 } }, m.ConfusionMatrix);
    }

    [Fact]
    public void Compute_should_leave_a_class_absent_from_both_out_of_the_macro_averages()
    {
        // Same as above with a fourth class that nobody has and nobody predicted.
        var m = ClassificationMetrics.Compute([0, 1, 1, 1, 2, 0], [0, 0, 1, 1, 2, 2], classCount: 4, totalLoss: 3.0);

        Assert.Equal(0.0, m.Precision[3]);
        Assert.Equal(0.0, m.Recall[3]);
        Assert.Equal(0.0, m.F1[3]);
        Assert.Equal(0, m.Support[3]);
        Assert.Equal(0.722222222222, m.MacroPrecision, 1e-11);
        Assert.Equal(0.655555555556, m.MacroF1, 1e-11);
        Assert.Equal(4, m.ConfusionMatrix.GetLength(0));
        Assert.Equal(4, m.ConfusionMatrix.GetLength(1));
    }

    [Fact]
    public void Compute_should_give_a_class_that_is_predicted_but_absent_zero_precision_recall_and_f1()
    {
        // actual: 0 0 1, predicted: 0 2 1. Class 2 is predicted once and never true.
        // class 0: P 1, R 1/2, F1 2/3; class 1: P 1, R 1, F1 1; class 2: P 0, R 0 (no samples), F1 0.
        var m = ClassificationMetrics.Compute([0, 2, 1], [0, 0, 1], classCount: 3, totalLoss: 0.9);

        AssertEqual([1.0, 1.0, 0.0], m.Precision, Tolerance);
        AssertEqual([0.5, 1.0, 0.0], m.Recall, Tolerance);
        AssertEqual([0.666666666667, 1.0, 0.0], m.F1, 1e-11);
        Assert.Equal([2, 1, 0], m.Support);
        Assert.Equal(0.666666666667, m.MacroPrecision, 1e-11);
        Assert.Equal(0.5, m.MacroRecall, Tolerance);
        Assert.Equal(0.555555555556, m.MacroF1, 1e-11); // (2/3 + 1 + 0) / 3 = 5/9
        Assert.Equal(0.3, m.Loss, Tolerance);
    }

    [Fact]
    public void Compute_should_give_ones_when_every_prediction_is_right()
    {
        var m = ClassificationMetrics.Compute([2, 0, 1, 2], [2, 0, 1, 2], classCount: 3, totalLoss: 0);

        Assert.Equal(1.0, m.Accuracy);
        Assert.Equal([1.0, 1.0, 1.0], m.Precision);
        Assert.Equal([1.0, 1.0, 1.0], m.Recall);
        Assert.Equal([1.0, 1.0, 1.0], m.F1);
        Assert.Equal(1.0, m.MacroF1);
        Assert.Equal(new int[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 2 } }, m.ConfusionMatrix);
    }

    [Fact]
    public void Compute_should_give_zeros_and_never_NaN_when_every_prediction_is_wrong()
    {
        var m = ClassificationMetrics.Compute([1, 0, 1], [0, 1, 0], classCount: 2, totalLoss: 6);

        Assert.Equal(0, m.Correct);
        Assert.Equal(0.0, m.Accuracy);
        Assert.Equal([0.0, 0.0], m.Precision);
        Assert.Equal([0.0, 0.0], m.Recall);
        Assert.Equal([0.0, 0.0], m.F1);
        Assert.Equal(0.0, m.MacroPrecision);
        Assert.Equal(0.0, m.MacroRecall);
        Assert.Equal(0.0, m.MacroF1);
        Assert.Equal(2.0, m.Loss);
        Assert.Equal(new int[,] { { 0, 2 }, { 1, 0 } }, m.ConfusionMatrix);
    }

    [Fact]
    public void Compute_should_handle_a_single_class_and_a_single_sample()
    {
        var m = ClassificationMetrics.Compute([0], [0], classCount: 1, totalLoss: 0.25);

        Assert.Equal(1, m.Samples);
        Assert.Equal(0.25, m.Loss);
        Assert.Equal(1.0, m.MacroF1);
        Assert.Equal(new int[,] { { 1 } }, m.ConfusionMatrix);
    }

    [Fact]
    public void Compute_should_pass_a_diverged_loss_through()
    {
        var m = ClassificationMetrics.Compute([0, 1], [0, 1], classCount: 2, totalLoss: double.NaN);

        Assert.True(double.IsNaN(m.Loss));
        Assert.Equal(1.0, m.Accuracy);
    }

    [Fact]
    public void Compute_should_reject_mismatched_empty_and_out_of_range_input_with_clear_messages()
    {
        var lengths = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([0, 1], [0], 2, 0));
        var empty = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([], [], 2, 0));
        var tooBig = Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Compute([0, 1, 5], [0, 1, 1], 3, 0));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Compute([0, 1], [-1, 1], 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.Compute([0], [0], 0, 0));

        Assert.StartsWith("There are 2 predicted labels but 1 actual ones: one of each per sample.", lengths.Message, StringComparison.Ordinal);
        Assert.StartsWith("There are no samples", empty.Message, StringComparison.Ordinal);
        Assert.StartsWith("predicted[2] = 5 is not a class: labels run from 0 to 2.", tooBig.Message, StringComparison.Ordinal);
        Assert.Equal("predicted", tooBig.ParamName);
        Assert.StartsWith("actual[0] = -1 is not a class: labels run from 0 to 2.", negative.Message, StringComparison.Ordinal);
        Assert.Equal("actual", negative.ParamName);
    }

    private static void AssertEqual(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], tolerance);
        }
    }
}
