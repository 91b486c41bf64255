using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Backprop.Numerics.Elementwise;

namespace Backprop.Numerics.Reductions;

/// <summary>Per-element bodies of <see cref="LossKernels"/>: each writes the gradient and yields the loss term.</summary>
internal static class LossOperators
{
    /// <summary>term = (a − b)², output = 2·scale·(a − b). Arguments: a = prediction, b = target.</summary>
    internal readonly struct SquaredError(float twiceScale) : IBinaryAccumulateOperator
    {
        private readonly float _twiceScale = twiceScale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b, out float term)
        {
            float d = a - b;
            term = d * d;
            return d * _twiceScale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, out Vector128<float> term)
        {
            var d = a - b;
            term = d * d;
            return d * _twiceScale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, out Vector256<float> term)
        {
            var d = a - b;
            term = d * d;
            return d * _twiceScale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, out Vector512<float> term)
        {
            var d = a - b;
            term = d * d;
            return d * _twiceScale;
        }
    }

    /// <summary>
    /// Binary cross-entropy on a logit z with target t: term = max(z, 0) − z·t + log(1 + e^−|z|), output =
    /// scale·(σ(z) − t). Only e^−|z| ≤ 1 is ever computed, so no overflow; log(1 + e) is corrected for the rounding
    /// of 1 + e (log(u)·e / (u − 1), Goldberg's log1p) so tiny losses keep their relative accuracy.
    /// Arguments: a = z, b = t.
    /// </summary>
    internal readonly struct BinaryCrossEntropy(float scale) : IBinaryAccumulateOperator
    {
        private readonly float _scale = scale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b, out float term)
        {
            float e = MathF.Exp(-MathF.Abs(a));
            float u = 1f + e;
            float r = 1f / u;
            float sigmoid = a >= 0f ? r : e * r;
            float log1p = u == 1f ? e : MathF.Log(u) * e / (u - 1f);
            term = MathF.Max(a, 0f) - (a * b) + log1p;
            return (sigmoid - b) * _scale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, out Vector128<float> term)
        {
            var one = Vector128<float>.One;
            var e = VectorExp.Exp(-Vector128.Abs(a));
            var u = one + e;
            var r = one / u;
            var sigmoid = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(a, Vector128<float>.Zero), r, e * r);
            var log1p = Vector128.ConditionalSelect(Vector128.Equals(u, one), e, Vector128.Log(u) * e / (u - one));
            term = Vector128.MultiplyAddEstimate(-a, b, Vector128.Max(a, Vector128<float>.Zero)) + log1p;
            return (sigmoid - b) * _scale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, out Vector256<float> term)
        {
            var one = Vector256<float>.One;
            var e = VectorExp.Exp(-Vector256.Abs(a));
            var u = one + e;
            var r = one / u;
            var sigmoid = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a, Vector256<float>.Zero), r, e * r);
            var log1p = Vector256.ConditionalSelect(Vector256.Equals(u, one), e, Vector256.Log(u) * e / (u - one));
            term = Vector256.MultiplyAddEstimate(-a, b, Vector256.Max(a, Vector256<float>.Zero)) + log1p;
            return (sigmoid - b) * _scale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, out Vector512<float> term)
        {
            var one = Vector512<float>.One;
            var e = VectorExp.Exp(-Vector512.Abs(a));
            var u = one + e;
            var r = one / u;
            var sigmoid = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(a, Vector512<float>.Zero), r, e * r);
            var log1p = Vector512.ConditionalSelect(Vector512.Equals(u, one), e, Vector512.Log(u) * e / (u - one));
            term = Vector512.MultiplyAddEstimate(-a, b, Vector512.Max(a, Vector512<float>.Zero)) + log1p;
            return (sigmoid - b) * _scale;
        }
    }

    /// <summary>y = alpha·a − beta·b (the soft-target cross-entropy gradient from e^(x − max) and the targets).</summary>
    internal readonly struct ScaledDifference(float alpha, float beta) : IBinaryOperator
    {
        private readonly float _alpha = alpha;
        private readonly float _beta = beta;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b) => (_alpha * a) - (_beta * b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => (a * _alpha) - (b * _beta);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => (a * _alpha) - (b * _beta);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => (a * _alpha) - (b * _beta);
    }
}
