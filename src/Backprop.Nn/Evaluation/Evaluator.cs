using Backprop.Nn.Data;
using Backprop.Nn.Losses;
using Backprop.Nn.Models;

namespace Backprop.Nn.Evaluation;

/// <summary>Runs a network over a whole dataset in batches, without dropout: loss, accuracy and predictions.</summary>
public sealed class Evaluator
{
    private readonly Network _network;
    private readonly NetworkWorkspace _workspace;
    private readonly int _batchSize;

    // Rows of a mapped dataset are copied (and scaled) here before each forward pass; made on first use.
    private float[] _scratch = [];

    /// <summary>An evaluator with its own buffers, so it can run between training steps.</summary>
    /// <param name="network">The network.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public Evaluator(Network network, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _network = network;
        _batchSize = batchSize;
        _workspace = network.CreateWorkspace(batchSize);
    }

    /// <summary>Summed loss and correct count over <paramref name="data"/>.</summary>
    /// <param name="data">Scaled the way the network was trained.</param>
    public (double LossSum, long Correct) Score(Dataset data)
    {
        Check(data);
        double loss = 0;
        long correct = 0;
        for (int first = 0; first < data.Count; first += _batchSize)
        {
            int rows = Math.Min(_batchSize, data.Count - first);
            var result = _network.Score(Rows(data, first, rows), rows, Labels(data, first, rows), Targets(data, first, rows), _workspace);
            loss += result.LossSum;
            correct += result.Correct;
        }

        return (loss, correct);
    }

    /// <summary>
    /// The network's outputs for every sample: class probabilities (softmax, or the sigmoid's for the
    /// binary loss: P(class 1)) for classification, predicted values for regression.
    /// </summary>
    /// <param name="features">Scaled features, count × inputs.</param>
    /// <param name="count">Samples.</param>
    /// <param name="outputs">count × outputs values.</param>
    public void Predict(ReadOnlySpan<float> features, int count, Span<float> outputs)
    {
        int outputWidth = _network.Spec.Outputs;
        if (outputs.Length != count * outputWidth)
        {
            throw new ArgumentException($"{count} samples need {count * outputWidth} outputs; got {outputs.Length}.", nameof(outputs));
        }

        int inputs = _network.Spec.Inputs;
        for (int first = 0; first < count; first += _batchSize)
        {
            int rows = Math.Min(_batchSize, count - first);
            var values = _network.Forward(features.Slice(first * inputs, rows * inputs), rows, _workspace);
            var target = outputs.Slice(first * outputWidth, rows * outputWidth);
            switch (_network.Spec.Loss)
            {
                case LossKind.SoftmaxCrossEntropy:
                    Numerics.Elementwise.SoftmaxOps.Softmax(rows, outputWidth, values, target);
                    break;
                case LossKind.BinaryCrossEntropy:
                    Numerics.Elementwise.Activations.Sigmoid(values, target);
                    break;
                default:
                    values.CopyTo(target);
                    break;
            }
        }
    }

    /// <summary>Loss, accuracy, per-class precision and recall and the confusion matrix, or MSE, MAE and R².</summary>
    /// <param name="data">Scaled the way the network was trained.</param>
    public EvaluationReport Evaluate(Dataset data)
    {
        Check(data);
        double loss = 0;
        if (data.Task == TaskKind.Classification)
        {
            var predicted = new int[data.Count];
            for (int first = 0; first < data.Count; first += _batchSize)
            {
                int rows = Math.Min(_batchSize, data.Count - first);
                loss += _network.Score(Rows(data, first, rows), rows, Labels(data, first, rows), [], _workspace).LossSum;
                _network.PredictedClasses(_workspace, rows).CopyTo(predicted.AsSpan(first, rows));
            }

            return new EvaluationReport(data.Source, ClassificationMetrics.Compute(predicted, data.Labels, data.ClassCount, loss), null);
        }

        var outputs = new float[data.Count * data.TargetCount];
        for (int first = 0; first < data.Count; first += _batchSize)
        {
            int rows = Math.Min(_batchSize, data.Count - first);
            loss += _network.Score(Rows(data, first, rows), rows, [], Targets(data, first, rows), _workspace).LossSum;
            _network.Forward(Rows(data, first, rows), rows, _workspace).CopyTo(outputs.AsSpan(first * data.TargetCount));
        }

        return new EvaluationReport(data.Source, null, RegressionMetrics.Compute(outputs, data.Targets, data.TargetCount, loss));
    }

    private void Check(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != _network.Spec.Inputs)
        {
            throw new ArgumentException($"{data.Source} has {data.FeatureCount} features per sample; the model takes {_network.Spec.Inputs}.", nameof(data));
        }

        if (data.Count == 0)
        {
            throw new ArgumentException($"{data.Source} has no samples.", nameof(data));
        }
    }

    private ReadOnlySpan<float> Rows(Dataset data, int first, int rows)
    {
        if (data.IsMapped && _scratch.Length == 0)
        {
            _scratch = new float[_batchSize * data.FeatureCount];
        }

        return data.Rows(first, rows, _scratch);
    }

    private static ReadOnlySpan<int> Labels(Dataset data, int first, int rows) =>
        data.Task == TaskKind.Classification ? data.Labels.AsSpan(first, rows) : [];

    private static ReadOnlySpan<float> Targets(Dataset data, int first, int rows) =>
        data.Task == TaskKind.Regression ? data.Targets.AsSpan(first * data.TargetCount, rows * data.TargetCount) : [];
}
