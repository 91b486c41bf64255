using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Elementwise;

/// <summary>The per-element bodies of the activation kernels in <see cref="Activations"/>.</summary>
internal static class ActivationOperators
{
    /// <summary>−2·√(2/π): GELU(x) = x·σ(2u) = x / (1 + e^z) with z = x·(<see cref="GeluK1"/> + <see cref="GeluK2"/>·x²).</summary>
    internal const float GeluK1 = -1.5957691216057308f;

    /// <summary>−2·√(2/π)·0.044715.</summary>
    internal const float GeluK2 = -0.07135481627159636f;

    /// <summary>
    /// Beyond ±16 the GELU derivative is exactly 1 or 0 in float, while x³ would overflow for |x| ≳ 1e13 and turn
    /// 0·∞ into NaN; clamping x there keeps the backward pass finite for any finite input.
    /// </summary>
    internal const float GeluBackwardClamp = 16f;

    /// <summary>y = x for x &gt; 0, slope·x otherwise.</summary>
    internal readonly struct LeakyRelu(float slope) : IUnaryOperator
    {
        private readonly float _slope = slope;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x > 0f ? x : _slope * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, x * _slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * _slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * _slope);
    }

    /// <summary>
    /// GELU, tanh approximation, as x / (1 + e^z): 0.5·(1 + tanh(u)) = σ(2u), and this form saturates to x or ±0
    /// for large |x| (e^z → 0 or ∞) without ever computing ∞/∞.
    /// </summary>
    internal readonly struct Gelu : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x / (1f + MathF.Exp(x * float.MultiplyAddEstimate(GeluK2, x * x, GeluK1)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x)
        {
            var z = x * Vector128.MultiplyAddEstimate(Vector128.Create(GeluK2), x * x, Vector128.Create(GeluK1));
            return x / (Vector128<float>.One + VectorExp.Exp(z));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x)
        {
            var z = x * Vector256.MultiplyAddEstimate(Vector256.Create(GeluK2), x * x, Vector256.Create(GeluK1));
            return x / (Vector256<float>.One + VectorExp.Exp(z));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x)
        {
            var z = x * Vector512.MultiplyAddEstimate(Vector512.Create(GeluK2), x * x, Vector512.Create(GeluK1));
            return x / (Vector512<float>.One + VectorExp.Exp(z));
        }
    }

    /// <summary>
    /// dx = dy·GELU'(x) with s = σ(2u): GELU'(x) = s·(1 + x·(1 − s)·q), q = 2u'(x) = −K1 − 3·K2·x².
    /// Arguments: a = x (pre-activation), b = dy.
    /// </summary>
    internal readonly struct GeluBackward : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b)
        {
            float x = Math.Clamp(a, -GeluBackwardClamp, GeluBackwardClamp);
            float x2 = x * x;
            float s = 1f / (1f + MathF.Exp(x * float.MultiplyAddEstimate(GeluK2, x2, GeluK1)));
            float q = float.MultiplyAddEstimate(-3f * GeluK2, x2, -GeluK1);
            return b * s * float.MultiplyAddEstimate(x * (1f - s), q, 1f);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b)
        {
            var x = Vector128.Clamp(a, Vector128.Create(-GeluBackwardClamp), Vector128.Create(GeluBackwardClamp));
            var x2 = x * x;
            var one = Vector128<float>.One;
            var s = one / (one + VectorExp.Exp(x * Vector128.MultiplyAddEstimate(Vector128.Create(GeluK2), x2, Vector128.Create(GeluK1))));
            var q = Vector128.MultiplyAddEstimate(Vector128.Create(-3f * GeluK2), x2, Vector128.Create(-GeluK1));
            return b * s * Vector128.MultiplyAddEstimate(x * (one - s), q, one);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b)
        {
            var x = Vector256.Clamp(a, Vector256.Create(-GeluBackwardClamp), Vector256.Create(GeluBackwardClamp));
            var x2 = x * x;
            var one = Vector256<float>.One;
            var s = one / (one + VectorExp.Exp(x * Vector256.MultiplyAddEstimate(Vector256.Create(GeluK2), x2, Vector256.Create(GeluK1))));
            var q = Vector256.MultiplyAddEstimate(Vector256.Create(-3f * GeluK2), x2, Vector256.Create(-GeluK1));
            return b * s * Vector256.MultiplyAddEstimate(x * (one - s), q, one);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b)
        {
            var x = Vector512.Clamp(a, Vector512.Create(-GeluBackwardClamp), Vector512.Create(GeluBackwardClamp));
            var x2 = x * x;
            var one = Vector512<float>.One;
            var s = one / (one + VectorExp.Exp(x * Vector512.MultiplyAddEstimate(Vector512.Create(GeluK2), x2, Vector512.Create(GeluK1))));
            var q = Vector512.MultiplyAddEstimate(Vector512.Create(-3f * GeluK2), x2, Vector512.Create(-GeluK1));
            return b * s * Vector512.MultiplyAddEstimate(x * (one - s), q, one);
        }
    }

    /// <summary>
    /// Exact GELU, y = x·Φ(x) (PyTorch's default <c>gelu</c>), with Φ from <see cref="NormalDistribution"/>: large
    /// positive x give x, large negative x give ±0, as Φ saturates to 1 and 0 without ever computing ∞·0.
    /// </summary>
    internal readonly struct GeluErf : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x) => x * NormalDistribution.Cdf(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x) => x * NormalDistribution.Cdf(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x) => x * NormalDistribution.Cdf(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x) => x * NormalDistribution.Cdf(x);
    }

    /// <summary>
    /// dx = dy·(Φ(x) + x·φ(x)), the derivative of exact GELU. x is clamped to ±<see cref="GeluBackwardClamp"/>
    /// first, beyond which the derivative is exactly 1 or 0 in float, so that ±∞ does not make ∞·0.
    /// Arguments: a = x (pre-activation), b = dy.
    /// </summary>
    internal readonly struct GeluErfBackward : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b)
        {
            float x = Math.Clamp(a, -GeluBackwardClamp, GeluBackwardClamp);
            return b * float.MultiplyAddEstimate(x, NormalDistribution.Density(x), NormalDistribution.Cdf(x));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b)
        {
            var x = Vector128.Clamp(a, Vector128.Create(-GeluBackwardClamp), Vector128.Create(GeluBackwardClamp));
            return b * Vector128.MultiplyAddEstimate(x, NormalDistribution.Density(x), NormalDistribution.Cdf(x));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b)
        {
            var x = Vector256.Clamp(a, Vector256.Create(-GeluBackwardClamp), Vector256.Create(GeluBackwardClamp));
            return b * Vector256.MultiplyAddEstimate(x, NormalDistribution.Density(x), NormalDistribution.Cdf(x));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b)
        {
            var x = Vector512.Clamp(a, Vector512.Create(-GeluBackwardClamp), Vector512.Create(GeluBackwardClamp));
            return b * Vector512.MultiplyAddEstimate(x, NormalDistribution.Density(x), NormalDistribution.Cdf(x));
        }
    }

    /// <summary>dx = dy·y·(1 − y). Arguments: a = y = σ(x), b = dy.</summary>
    internal readonly struct SigmoidBackward : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b) => b * a * (1f - a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => b * a * (Vector128<float>.One - a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => b * a * (Vector256<float>.One - a);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => b * a * (Vector512<float>.One - a);
    }

    /// <summary>dx = dy·(1 − y²). Arguments: a = y = tanh(x), b = dy.</summary>
    internal readonly struct TanhBackward : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b) => b * (1f - (a * a));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => b * (Vector128<float>.One - (a * a));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => b * (Vector256<float>.One - (a * a));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => b * (Vector512<float>.One - (a * a));
    }

    /// <summary>dx = dy where y &gt; 0, else 0 (so 0 at the kink, as PyTorch). Arguments: a = y, b = dy.</summary>
    internal readonly struct ReluBackward : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b) => a > 0f ? b : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(a, Vector128<float>.Zero), b, Vector128<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(a, Vector256<float>.Zero), b, Vector256<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512<float>.Zero), b, Vector512<float>.Zero);
    }

    /// <summary>dx = dy where x &gt; 0, else slope·dy. Arguments: a = x, b = dy.</summary>
    internal readonly struct LeakyReluBackward(float slope) : IBinaryOperator
    {
        private readonly float _slope = slope;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b) => a > 0f ? b : _slope * b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(a, Vector128<float>.Zero), b, b * _slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(a, Vector256<float>.Zero), b, b * _slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512<float>.Zero), b, b * _slope);
    }
}
