using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Elementwise;

/// <summary>y = f(a, b) at every width; see <see cref="IUnaryOperator"/>.</summary>
internal interface IBinaryOperator
{
    /// <summary>One element.</summary>
    float Invoke(float a, float b);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}
