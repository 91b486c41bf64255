using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// y = f(x) at every width. Implemented by readonly structs whose fields carry the parameters, so
/// <see cref="VectorLoops"/> is specialised and inlined per operator by the JIT.
/// </summary>
internal interface IUnaryOperator
{
    /// <summary>One element.</summary>
    float Invoke(float x);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> x);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> x);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> x);
}
