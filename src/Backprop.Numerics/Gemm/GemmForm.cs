namespace Backprop.Numerics.Gemm;

/// <summary>
/// The three products backpropagation needs, all row-major: C (m×n) = α·op(A)·op(B) + β·C.
/// </summary>
public enum GemmForm
{
    /// <summary>C = α·A·B + β·C with A m×k and B k×n (a layer's forward pass).</summary>
    AB,

    /// <summary>C = α·A·Bᵀ + β·C with A m×k and B stored n×k (the input gradient).</summary>
    ABt,

    /// <summary>C = α·Aᵀ·B + β·C with A stored k×m and B k×n (the weight gradient).</summary>
    AtB,
}
