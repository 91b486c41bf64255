using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// y = f(a, b) plus a term t(a, b) that <see cref="VectorLoops.BinaryAccumulate{TOp}"/> sums (a loss and its
/// gradient in one pass, or a dot product with no output at all).
/// </summary>
internal interface IBinaryAccumulateOperator
{
    /// <summary>One element.</summary>
    float Invoke(float a, float b, out float term);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, out Vector128<float> term);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, out Vector256<float> term);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, out Vector512<float> term);
}
