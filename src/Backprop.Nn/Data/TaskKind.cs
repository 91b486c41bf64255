namespace Backprop.Nn.Data;

/// <summary>What a dataset's target is.</summary>
public enum TaskKind
{
    /// <summary>One class label per sample.</summary>
    Classification,

    /// <summary>One or more real-valued targets per sample.</summary>
    Regression,
}
