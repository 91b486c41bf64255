namespace Backprop.Nn.Randomness;

/// <summary>The separate random streams of a run; each is derived from the seed, never shared.</summary>
public enum RandomPurpose
{
    /// <summary>Initial weights (index: the layer).</summary>
    Initialization = 1,

    /// <summary>The order of the training set (index: the epoch).</summary>
    Shuffle = 2,

    /// <summary>Dropout masks (index: the step; sub-index: layer and sample).</summary>
    Dropout = 3,

    /// <summary>Held-out test and validation splits.</summary>
    Split = 4,
}
