namespace Backprop.Nn.Losses;

/// <summary>The loss a network is trained on; its output layer follows from it.</summary>
public enum LossKind
{
    /// <summary>Softmax over the class scores, then cross-entropy (fused and stable): multi-class classification.</summary>
    SoftmaxCrossEntropy,

    /// <summary>Sigmoid of one score, then binary cross-entropy (fused and stable): two-class classification.</summary>
    BinaryCrossEntropy,

    /// <summary>Mean squared error on linear outputs: regression.</summary>
    MeanSquaredError,
}
