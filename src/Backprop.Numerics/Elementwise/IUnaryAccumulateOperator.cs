using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// y = f(x) plus a term t(x) that <see cref="VectorLoops.UnaryAccumulate{TOp}"/> sums: one pass both writes and
/// reduces (for example exp(x − max) written and summed for softmax).
/// </summary>
internal interface IUnaryAccumulateOperator
{
    /// <summary>One element.</summary>
    float Invoke(float x, out float term);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> x, out Vector128<float> term);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> x, out Vector256<float> term);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> x, out Vector512<float> term);
}
