namespace Backprop.Nn.Data;

/// <summary>How features are scaled before training, with statistics from the training split only.</summary>
public enum ScalingKind
{
    /// <summary>Pixels (IDX) are divided by 255; tables (CSV) are standardised.</summary>
    Auto,

    /// <summary>Features as read.</summary>
    None,

    /// <summary>(x − mean) / standard deviation per feature.</summary>
    Standardize,

    /// <summary>(x − min) / (max − min) per feature, into [0, 1].</summary>
    MinMax,

    /// <summary>x / 255, for 8-bit pixels.</summary>
    Divide255,
}
