namespace Backprop.Onnx;

/// <summary>
/// The names of an exported model's inputs and outputs, which a program running the model uses to feed and
/// fetch it. Every shape starts with the symbolic dimension <see cref="Batch"/>, so any number of samples
/// goes through in one run.
/// </summary>
public static class OnnxNames
{
    /// <summary>
    /// The one input, float32 [batch, features]: raw feature values as <c>backprop predict</c> reads them (an
    /// IDX image's pixels 0–255, a CSV row's columns in the model's feature order); the model scales them itself.
    /// </summary>
    public const string Input = "input";

    /// <summary>
    /// Classification's first output, float32 [batch, classes]: each class's probability (softmax, or for a
    /// two-class model with one logit [1 − p, p]), in the order of the model's class names.
    /// </summary>
    public const string Probabilities = "probabilities";

    /// <summary>Classification's second output, int64 [batch]: the index of the most probable class.</summary>
    public const string ClassIndex = "class_index";

    /// <summary>Regression's one output, float32 [batch, targets]: the predicted values, in the target's units.</summary>
    public const string Prediction = "prediction";

    /// <summary>The symbolic name of the batch dimension.</summary>
    public const string Batch = "batch";
}
