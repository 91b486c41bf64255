namespace Backprop.Nn.Evaluation;

/// <summary>
/// How well a classifier did on a set of samples: accuracy, per-class precision, recall and F1, their macro
/// averages and the confusion matrix. Built by <see cref="Compute"/> from predicted and true labels.
/// </summary>
/// <remarks>
/// The arrays are indexed by class and made afresh by each <see cref="Compute"/>.
/// A ratio whose denominator is zero is 0, never NaN: the precision of a class that was never predicted,
/// the recall of a class absent from the set, and the F1 of a class whose precision and recall are both 0.
/// The macro averages are plain means over the classes that occur in the set or in the predictions (as
/// scikit-learn does when it is not given the labels): a class the model never saw nor predicted tells
/// nothing about it and would only drag the averages towards 0.
/// </remarks>
public sealed record ClassificationMetrics
{
    private ClassificationMetrics()
    {
    }

    /// <summary>Samples evaluated.</summary>
    public int Samples { get; private init; }

    /// <summary>Number of classes; labels run from 0 to <c>ClassCount - 1</c>.</summary>
    public int ClassCount { get; private init; }

    /// <summary>Mean loss per sample: the total loss over <see cref="Samples"/>.</summary>
    public double Loss { get; private init; }

    /// <summary>Samples predicted correctly.</summary>
    public int Correct { get; private init; }

    /// <summary>Fraction of samples predicted correctly.</summary>
    public double Accuracy { get; private init; }

    /// <summary>Per class: of the samples predicted as it, the fraction that are it (0 if never predicted).</summary>
    public double[] Precision { get; private init; } = [];

    /// <summary>Per class: of the samples that are it, the fraction predicted as it (0 if it has none).</summary>
    public double[] Recall { get; private init; } = [];

    /// <summary>Per class: the harmonic mean of precision and recall (0 if both are 0).</summary>
    public double[] F1 { get; private init; } = [];

    /// <summary>Per class: the samples that truly are it.</summary>
    public int[] Support { get; private init; } = [];

    /// <summary>Mean <see cref="Precision"/> over the classes present (see remarks on the type).</summary>
    public double MacroPrecision { get; private init; }

    /// <summary>Mean <see cref="Recall"/> over the classes present.</summary>
    public double MacroRecall { get; private init; }

    /// <summary>Mean <see cref="F1"/> over the classes present (not the F1 of the macro precision and recall).</summary>
    public double MacroF1 { get; private init; }

    /// <summary>
    /// <c>[actual, predicted]</c>: how many samples of class <c>actual</c> were predicted as <c>predicted</c>;
    /// the diagonal holds the correct ones.
    /// </summary>
    public int[,] ConfusionMatrix { get; private init; } = new int[0, 0];

    /// <summary>Computes the metrics of one evaluation pass.</summary>
    /// <param name="predicted">The predicted label of each sample.</param>
    /// <param name="actual">The true label of each sample, same length.</param>
    /// <param name="classCount">Number of classes (at least 1).</param>
    /// <param name="totalLoss">The loss summed over the samples; passed through, so a diverged model shows NaN.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..<paramref name="classCount"/> - 1.</exception>
    public static ClassificationMetrics Compute(ReadOnlySpan<int> predicted, ReadOnlySpan<int> actual, int classCount, double totalLoss)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (predicted.Length != actual.Length)
        {
            throw new ArgumentException(
                $"There are {predicted.Length} predicted labels but {actual.Length} actual ones: one of each per sample.", nameof(predicted));
        }

        if (actual.IsEmpty)
        {
            throw new ArgumentException("There are no samples: metrics of an empty set are undefined.", nameof(actual));
        }

        CheckLabels(predicted, classCount, nameof(predicted));
        CheckLabels(actual, classCount, nameof(actual));

        var confusion = new int[classCount, classCount];
        int correct = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            confusion[actual[i], predicted[i]]++;
            if (actual[i] == predicted[i])
            {
                correct++;
            }
        }

        var precision = new double[classCount];
        var recall = new double[classCount];
        var f1 = new double[classCount];
        var support = new int[classCount];
        double precisionSum = 0, recallSum = 0, f1Sum = 0;
        int present = 0;
        for (int c = 0; c < classCount; c++)
        {
            int truePositives = confusion[c, c];
            int predictedAsC = 0;
            for (int a = 0; a < classCount; a++)
            {
                predictedAsC += confusion[a, c];
                support[c] += confusion[c, a];
            }

            precision[c] = Ratio(truePositives, predictedAsC);
            recall[c] = Ratio(truePositives, support[c]);
            double both = precision[c] + recall[c];
            f1[c] = both == 0 ? 0 : 2 * precision[c] * recall[c] / both;
            if (support[c] > 0 || predictedAsC > 0)
            {
                present++;
                precisionSum += precision[c];
                recallSum += recall[c];
                f1Sum += f1[c];
            }
        }

        return new ClassificationMetrics
        {
            Samples = actual.Length,
            ClassCount = classCount,
            Loss = totalLoss / actual.Length,
            Correct = correct,
            Accuracy = (double)correct / actual.Length,
            Precision = precision,
            Recall = recall,
            F1 = f1,
            Support = support,
            MacroPrecision = precisionSum / present,
            MacroRecall = recallSum / present,
            MacroF1 = f1Sum / present,
            ConfusionMatrix = confusion,
        };
    }

    private static double Ratio(int count, int total) => total == 0 ? 0 : (double)count / total;

    private static void CheckLabels(ReadOnlySpan<int> labels, int classCount, string name)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(
                    name, labels[i], $"{name}[{i}] = {labels[i]} is not a class: labels run from 0 to {classCount - 1}.");
            }
        }
    }
}
