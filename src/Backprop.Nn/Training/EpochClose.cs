using Backprop.Nn.Evaluation;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Training;

/// <summary>
/// What the end of an epoch does to a run's state, the same for local and cluster training: the
/// report from the epoch's sums and its evaluations, the history, and early stopping.
/// </summary>
public static class EpochClose
{
    /// <summary>The epoch's report, from its running sums and the evaluations of the finished weights.</summary>
    /// <param name="epoch">0-based epoch.</param>
    /// <param name="steps">Global steps done.</param>
    /// <param name="learningRate">The rate of the epoch's last step.</param>
    /// <param name="lossSum">Summed training loss over the epoch.</param>
    /// <param name="correct">Correct training predictions.</param>
    /// <param name="samples">Training samples of the epoch.</param>
    /// <param name="classification">Whether accuracies apply.</param>
    /// <param name="validation">Summed loss and correct count on the validation split, and its size.</param>
    /// <param name="test">Summed loss and correct count on the test set, and its size.</param>
    public static EpochReport Report(
        int epoch,
        long steps,
        double learningRate,
        double lossSum,
        long correct,
        long samples,
        bool classification,
        (double LossSum, long Correct, int Count)? validation,
        (double LossSum, long Correct, int Count)? test) => new()
        {
            Epoch = epoch + 1,
            Steps = steps,
            LearningRate = learningRate,
            TrainLoss = lossSum / Math.Max(1, samples),
            TrainAccuracy = classification && samples > 0 ? (double)correct / samples : null,
            ValidationLoss = validation is { } v ? v.LossSum / v.Count : null,
            ValidationAccuracy = validation is { } va && classification ? (double)va.Correct / va.Count : null,
            TestLoss = test is { } t ? t.LossSum / t.Count : null,
            TestAccuracy = test is { } ta && classification ? (double)ta.Correct / ta.Count : null,
        };

    /// <summary>
    /// The state after an epoch: the report appended to the history, the position moved to the next
    /// epoch's start, and early stopping applied (keeping a copy of the best parameters if asked).
    /// </summary>
    /// <param name="state">The state at the end of the epoch.</param>
    /// <param name="report">The epoch's report.</param>
    /// <param name="stopping">The early-stopping settings.</param>
    /// <param name="parameters">The parameters after the epoch.</param>
    public static TrainingState Apply(TrainingState state, EpochReport report, EarlyStoppingSettings stopping, ReadOnlySpan<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stopping);
        state = state with
        {
            Epoch = report.Epoch,
            NextBatch = 0,
            EpochLossSum = 0,
            EpochCorrect = 0,
            EpochSamples = 0,
            History = [.. state.History, report],
        };
        if (!stopping.Enabled || report.ValidationLoss is not { } validationLoss)
        {
            return state;
        }

        bool lowerIsBetter = stopping.Metric == EarlyStoppingMetric.ValidationLoss;
        double metric = lowerIsBetter ? validationLoss : report.ValidationAccuracy ?? throw new InvalidSettingException(
            "backprop.training.early-stopping.metric", "val-accuracy needs a classification dataset.");
        bool improved = state.BestMetric is not { } best
            || (lowerIsBetter ? best - metric > stopping.MinDelta : metric - best > stopping.MinDelta);
        state = improved
            ? state with
            {
                BestMetric = metric,
                BestEpoch = report.Epoch,
                EpochsWithoutImprovement = 0,
                BestParameters = stopping.RestoreBest ? parameters.ToArray() : null,
            }
            : state with { EpochsWithoutImprovement = state.EpochsWithoutImprovement + 1 };
        return state with { StoppedEarly = state.EpochsWithoutImprovement >= stopping.Patience };
    }

    /// <summary>Summed loss, correct count and size of a dataset under an evaluator, or null without one.</summary>
    /// <param name="evaluator">The evaluator.</param>
    /// <param name="data">The dataset, or null.</param>
    public static (double LossSum, long Correct, int Count)? Score(Evaluator evaluator, Data.Dataset? data)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        if (data is null)
        {
            return null;
        }

        var (loss, correct) = evaluator.Score(data);
        return (loss, correct, data.Count);
    }
}
