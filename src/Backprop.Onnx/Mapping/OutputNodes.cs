using Backprop.Nn.Losses;
using Backprop.Nn.Persistence;
using Backprop.Onnx.Graph;
using Backprop.Onnx.Schema;

namespace Backprop.Onnx.Mapping;

/// <summary>
/// The graph's outputs from the output layer's logits, as <see cref="Nn.Evaluation.Evaluator.Predict"/> and
/// <c>backprop predict</c> give them: class probabilities and the class index, or the regression values.
/// </summary>
internal static class OutputNodes
{
    /// <summary>Adds the output nodes and declares the graph outputs.</summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="model">The model; its loss says what the logits mean.</param>
    /// <param name="logits">The output layer's affine output, [batch, outputs].</param>
    public static void Add(GraphBuilder graph, SavedModel model, string logits)
    {
        int outputs = model.Spec.Outputs;
        switch (model.Spec.Loss)
        {
            case LossKind.SoftmaxCrossEntropy:
                graph.AddNode("Softmax", OnnxNames.Probabilities, [logits], Attributes.Int("axis", 1));
                AddClassIndex(graph, outputs);
                break;
            case LossKind.BinaryCrossEntropy:
                {
                    // One logit, P(class 1) = σ(logit); the output lists both classes as predict does: [1 − p, p].
                    string one = graph.AddConstant("output.one", [1f]);
                    string p1 = graph.AddNode("Sigmoid", "output.p1", [logits]);
                    string p0 = graph.AddNode("Sub", "output.p0", [one, p1]);
                    graph.AddNode("Concat", OnnxNames.Probabilities, [p0, p1], Attributes.Int("axis", 1));
                    AddClassIndex(graph, 2);
                    break;
                }

            case LossKind.MeanSquaredError:
                // The model stores no target transform (targets are trained in their own units), so the
                // output layer's values are the prediction as they are.
                graph.AddNode("Identity", OnnxNames.Prediction, [logits]);
                graph.AddOutput(ValueInfos.BatchTensor(
                    OnnxNames.Prediction, TensorProto.Types.DataType.Float, outputs, "The predicted value of each target, in the target's own units."));
                break;
            default:
                throw new OnnxExportException($"the output layer: the loss {model.Spec.Loss} has no ONNX output mapping in this build of backprop.");
        }
    }

    private static void AddClassIndex(GraphBuilder graph, int classes)
    {
        // The first of equal maxima, as predict picks it (select_last_index = 0).
        graph.AddNode("ArgMax", OnnxNames.ClassIndex, [OnnxNames.Probabilities], Attributes.Int("axis", 1), Attributes.Int("keepdims", 0));
        graph.AddOutput(ValueInfos.BatchTensor(
            OnnxNames.Probabilities, TensorProto.Types.DataType.Float, classes, "The probability of each class, in the order of the metadata's class names."));
        graph.AddOutput(ValueInfos.BatchTensor(
            OnnxNames.ClassIndex, TensorProto.Types.DataType.Int64, null, "The index of the most probable class (the first of equal maxima)."));
    }
}
