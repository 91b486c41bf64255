using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Optimizers;

/// <summary>
/// Per-element bodies of <see cref="OptimizerKernels"/>; the formulas are documented there. Every body first forms
/// the effective gradient ĝ = gradScale·g + l2·p (l2 = 0 when there is no coupled weight decay).
/// </summary>
internal static class OptimizerOperators
{
    /// <summary>Plain SGD: p ← p − lr·ĝ.</summary>
    internal readonly struct Sgd(float learningRate, float l2, float gradScale) : IOptimizerOperator
    {
        private readonly float _negLr = -learningRate;
        private readonly float _l2 = l2;
        private readonly float _gradScale = gradScale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step1(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            ref float pi = ref Unsafe.Add(ref p, i);
            float grad = float.MultiplyAddEstimate(Unsafe.Add(ref g, i), _gradScale, pi * _l2);
            pi = float.MultiplyAddEstimate(grad, _negLr, pi);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step4(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector128.LoadUnsafe(ref p, i);
            var grad = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref g, i), Vector128.Create(_gradScale), pv * _l2);
            Vector128.MultiplyAddEstimate(grad, Vector128.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step8(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector256.LoadUnsafe(ref p, i);
            var grad = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref g, i), Vector256.Create(_gradScale), pv * _l2);
            Vector256.MultiplyAddEstimate(grad, Vector256.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step16(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector512.LoadUnsafe(ref p, i);
            var grad = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref g, i), Vector512.Create(_gradScale), pv * _l2);
            Vector512.MultiplyAddEstimate(grad, Vector512.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }
    }

    /// <summary>SGD with momentum (s1 = velocity v): v ← μ·v + ĝ; p ← p − lr·(nesterov ? ĝ + μ·v : v).</summary>
    internal readonly struct Momentum(float learningRate, float momentum, bool nesterov, float l2, float gradScale)
        : IOptimizerOperator
    {
        private readonly float _negLr = -learningRate;
        private readonly float _momentum = momentum;
        private readonly bool _nesterov = nesterov;
        private readonly float _l2 = l2;
        private readonly float _gradScale = gradScale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step1(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            ref float pi = ref Unsafe.Add(ref p, i);
            ref float vi = ref Unsafe.Add(ref s1, i);
            float grad = float.MultiplyAddEstimate(Unsafe.Add(ref g, i), _gradScale, pi * _l2);
            float v = float.MultiplyAddEstimate(vi, _momentum, grad);
            vi = v;
            float update = _nesterov ? float.MultiplyAddEstimate(v, _momentum, grad) : v;
            pi = float.MultiplyAddEstimate(update, _negLr, pi);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step4(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector128.LoadUnsafe(ref p, i);
            var grad = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref g, i), Vector128.Create(_gradScale), pv * _l2);
            var mu = Vector128.Create(_momentum);
            var v = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref s1, i), mu, grad);
            v.StoreUnsafe(ref s1, i);
            var update = _nesterov ? Vector128.MultiplyAddEstimate(v, mu, grad) : v;
            Vector128.MultiplyAddEstimate(update, Vector128.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step8(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector256.LoadUnsafe(ref p, i);
            var grad = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref g, i), Vector256.Create(_gradScale), pv * _l2);
            var mu = Vector256.Create(_momentum);
            var v = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref s1, i), mu, grad);
            v.StoreUnsafe(ref s1, i);
            var update = _nesterov ? Vector256.MultiplyAddEstimate(v, mu, grad) : v;
            Vector256.MultiplyAddEstimate(update, Vector256.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step16(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector512.LoadUnsafe(ref p, i);
            var grad = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref g, i), Vector512.Create(_gradScale), pv * _l2);
            var mu = Vector512.Create(_momentum);
            var v = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref s1, i), mu, grad);
            v.StoreUnsafe(ref s1, i);
            var update = _nesterov ? Vector512.MultiplyAddEstimate(v, mu, grad) : v;
            Vector512.MultiplyAddEstimate(update, Vector512.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }
    }

    /// <summary>
    /// Adam and AdamW (s1 = m, s2 = v): m ← β1·m + (1 − β1)·ĝ; v ← β2·v + (1 − β2)·ĝ²;
    /// p ← decay·p − stepSize·m / (√v·invSqrtBc2 + ε), with stepSize = lr / (1 − β1^t), invSqrtBc2 = 1 / √(1 − β2^t),
    /// decay = 1 − lr·wd for AdamW (and 1 for Adam, whose decay enters ĝ through l2 instead).
    /// </summary>
    internal readonly struct Adam(
        double beta1, double beta2, float epsilon, float stepSize, float invSqrtBc2, float decay, float l2, float gradScale)
        : IOptimizerOperator
    {
        private readonly float _beta1 = (float)beta1;
        private readonly float _oneMinusBeta1 = (float)(1 - beta1);
        private readonly float _beta2 = (float)beta2;
        private readonly float _oneMinusBeta2 = (float)(1 - beta2);
        private readonly float _epsilon = epsilon;
        private readonly float _negStepSize = -stepSize;
        private readonly float _invSqrtBc2 = invSqrtBc2;
        private readonly float _decay = decay;
        private readonly float _l2 = l2;
        private readonly float _gradScale = gradScale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step1(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            ref float pi = ref Unsafe.Add(ref p, i);
            ref float mi = ref Unsafe.Add(ref s1, i);
            ref float vi = ref Unsafe.Add(ref s2, i);
            float grad = float.MultiplyAddEstimate(Unsafe.Add(ref g, i), _gradScale, pi * _l2);
            float m = float.MultiplyAddEstimate(mi, _beta1, grad * _oneMinusBeta1);
            float v = float.MultiplyAddEstimate(vi, _beta2, grad * grad * _oneMinusBeta2);
            mi = m;
            vi = v;
            float denominator = float.MultiplyAddEstimate(MathF.Sqrt(v), _invSqrtBc2, _epsilon);
            pi = float.MultiplyAddEstimate(m / denominator, _negStepSize, pi * _decay);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step4(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector128.LoadUnsafe(ref p, i);
            var grad = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref g, i), Vector128.Create(_gradScale), pv * _l2);
            var m = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref s1, i), Vector128.Create(_beta1), grad * _oneMinusBeta1);
            var v = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref s2, i), Vector128.Create(_beta2), grad * grad * _oneMinusBeta2);
            m.StoreUnsafe(ref s1, i);
            v.StoreUnsafe(ref s2, i);
            var denominator = Vector128.MultiplyAddEstimate(Vector128.Sqrt(v), Vector128.Create(_invSqrtBc2), Vector128.Create(_epsilon));
            Vector128.MultiplyAddEstimate(m / denominator, Vector128.Create(_negStepSize), pv * _decay).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step8(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector256.LoadUnsafe(ref p, i);
            var grad = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref g, i), Vector256.Create(_gradScale), pv * _l2);
            var m = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref s1, i), Vector256.Create(_beta1), grad * _oneMinusBeta1);
            var v = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref s2, i), Vector256.Create(_beta2), grad * grad * _oneMinusBeta2);
            m.StoreUnsafe(ref s1, i);
            v.StoreUnsafe(ref s2, i);
            var denominator = Vector256.MultiplyAddEstimate(Vector256.Sqrt(v), Vector256.Create(_invSqrtBc2), Vector256.Create(_epsilon));
            Vector256.MultiplyAddEstimate(m / denominator, Vector256.Create(_negStepSize), pv * _decay).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step16(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector512.LoadUnsafe(ref p, i);
            var grad = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref g, i), Vector512.Create(_gradScale), pv * _l2);
            var m = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref s1, i), Vector512.Create(_beta1), grad * _oneMinusBeta1);
            var v = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref s2, i), Vector512.Create(_beta2), grad * grad * _oneMinusBeta2);
            m.StoreUnsafe(ref s1, i);
            v.StoreUnsafe(ref s2, i);
            var denominator = Vector512.MultiplyAddEstimate(Vector512.Sqrt(v), Vector512.Create(_invSqrtBc2), Vector512.Create(_epsilon));
            Vector512.MultiplyAddEstimate(m / denominator, Vector512.Create(_negStepSize), pv * _decay).StoreUnsafe(ref p, i);
        }
    }

    /// <summary>
    /// RMSProp (s1 = square average, s2 = momentum buffer, s3 = gradient average):
    /// sq ← α·sq + (1 − α)·ĝ²; centred: ga ← α·ga + (1 − α)·ĝ, avg = √max(sq − ga², 0) + ε, else avg = √sq + ε;
    /// with momentum: buf ← μ·buf + ĝ / avg, p ← p − lr·buf; without: p ← p − lr·ĝ / avg.
    /// </summary>
    internal readonly struct RmsProp(
        float learningRate, double alpha, float epsilon, float momentum, bool useMomentum, bool centered, float l2, float gradScale)
        : IOptimizerOperator
    {
        private readonly float _negLr = -learningRate;
        private readonly float _alpha = (float)alpha;
        private readonly float _oneMinusAlpha = (float)(1 - alpha);
        private readonly float _epsilon = epsilon;
        private readonly float _momentum = momentum;
        private readonly bool _useMomentum = useMomentum;
        private readonly bool _centered = centered;
        private readonly float _l2 = l2;
        private readonly float _gradScale = gradScale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step1(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            ref float pi = ref Unsafe.Add(ref p, i);
            ref float sqi = ref Unsafe.Add(ref s1, i);
            float grad = float.MultiplyAddEstimate(Unsafe.Add(ref g, i), _gradScale, pi * _l2);
            float sq = float.MultiplyAddEstimate(sqi, _alpha, grad * grad * _oneMinusAlpha);
            sqi = sq;
            float variance = sq;
            if (_centered)
            {
                ref float gai = ref Unsafe.Add(ref s3, i);
                float ga = float.MultiplyAddEstimate(gai, _alpha, grad * _oneMinusAlpha);
                gai = ga;
                variance = MathF.Max(float.MultiplyAddEstimate(-ga, ga, sq), 0f);
            }

            float step = grad / (MathF.Sqrt(variance) + _epsilon);
            if (_useMomentum)
            {
                ref float bufi = ref Unsafe.Add(ref s2, i);
                step = float.MultiplyAddEstimate(bufi, _momentum, step);
                bufi = step;
            }

            pi = float.MultiplyAddEstimate(step, _negLr, pi);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step4(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector128.LoadUnsafe(ref p, i);
            var grad = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref g, i), Vector128.Create(_gradScale), pv * _l2);
            var alpha = Vector128.Create(_alpha);
            var sq = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref s1, i), alpha, grad * grad * _oneMinusAlpha);
            sq.StoreUnsafe(ref s1, i);
            var variance = sq;
            if (_centered)
            {
                var ga = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref s3, i), alpha, grad * _oneMinusAlpha);
                ga.StoreUnsafe(ref s3, i);
                variance = Vector128.Max(Vector128.MultiplyAddEstimate(-ga, ga, sq), Vector128<float>.Zero);
            }

            var step = grad / (Vector128.Sqrt(variance) + Vector128.Create(_epsilon));
            if (_useMomentum)
            {
                step = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref s2, i), Vector128.Create(_momentum), step);
                step.StoreUnsafe(ref s2, i);
            }

            Vector128.MultiplyAddEstimate(step, Vector128.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step8(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector256.LoadUnsafe(ref p, i);
            var grad = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref g, i), Vector256.Create(_gradScale), pv * _l2);
            var alpha = Vector256.Create(_alpha);
            var sq = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref s1, i), alpha, grad * grad * _oneMinusAlpha);
            sq.StoreUnsafe(ref s1, i);
            var variance = sq;
            if (_centered)
            {
                var ga = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref s3, i), alpha, grad * _oneMinusAlpha);
                ga.StoreUnsafe(ref s3, i);
                variance = Vector256.Max(Vector256.MultiplyAddEstimate(-ga, ga, sq), Vector256<float>.Zero);
            }

            var step = grad / (Vector256.Sqrt(variance) + Vector256.Create(_epsilon));
            if (_useMomentum)
            {
                step = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref s2, i), Vector256.Create(_momentum), step);
                step.StoreUnsafe(ref s2, i);
            }

            Vector256.MultiplyAddEstimate(step, Vector256.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step16(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector512.LoadUnsafe(ref p, i);
            var grad = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref g, i), Vector512.Create(_gradScale), pv * _l2);
            var alpha = Vector512.Create(_alpha);
            var sq = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref s1, i), alpha, grad * grad * _oneMinusAlpha);
            sq.StoreUnsafe(ref s1, i);
            var variance = sq;
            if (_centered)
            {
                var ga = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref s3, i), alpha, grad * _oneMinusAlpha);
                ga.StoreUnsafe(ref s3, i);
                variance = Vector512.Max(Vector512.MultiplyAddEstimate(-ga, ga, sq), Vector512<float>.Zero);
            }

            var step = grad / (Vector512.Sqrt(variance) + Vector512.Create(_epsilon));
            if (_useMomentum)
            {
                step = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref s2, i), Vector512.Create(_momentum), step);
                step.StoreUnsafe(ref s2, i);
            }

            Vector512.MultiplyAddEstimate(step, Vector512.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }
    }

    /// <summary>AdaGrad (s1 = sum of squares): sum ← sum + ĝ²; p ← p − clr·ĝ / (√sum + ε).</summary>
    internal readonly struct AdaGrad(float learningRate, float epsilon, float l2, float gradScale) : IOptimizerOperator
    {
        private readonly float _negLr = -learningRate;
        private readonly float _epsilon = epsilon;
        private readonly float _l2 = l2;
        private readonly float _gradScale = gradScale;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step1(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            ref float pi = ref Unsafe.Add(ref p, i);
            ref float si = ref Unsafe.Add(ref s1, i);
            float grad = float.MultiplyAddEstimate(Unsafe.Add(ref g, i), _gradScale, pi * _l2);
            float sum = float.MultiplyAddEstimate(grad, grad, si);
            si = sum;
            pi = float.MultiplyAddEstimate(grad / (MathF.Sqrt(sum) + _epsilon), _negLr, pi);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step4(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector128.LoadUnsafe(ref p, i);
            var grad = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref g, i), Vector128.Create(_gradScale), pv * _l2);
            var sum = Vector128.MultiplyAddEstimate(grad, grad, Vector128.LoadUnsafe(ref s1, i));
            sum.StoreUnsafe(ref s1, i);
            var step = grad / (Vector128.Sqrt(sum) + Vector128.Create(_epsilon));
            Vector128.MultiplyAddEstimate(step, Vector128.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step8(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector256.LoadUnsafe(ref p, i);
            var grad = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref g, i), Vector256.Create(_gradScale), pv * _l2);
            var sum = Vector256.MultiplyAddEstimate(grad, grad, Vector256.LoadUnsafe(ref s1, i));
            sum.StoreUnsafe(ref s1, i);
            var step = grad / (Vector256.Sqrt(sum) + Vector256.Create(_epsilon));
            Vector256.MultiplyAddEstimate(step, Vector256.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step16(ref float p, ref float g, ref float s1, ref float s2, ref float s3, nuint i)
        {
            var pv = Vector512.LoadUnsafe(ref p, i);
            var grad = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref g, i), Vector512.Create(_gradScale), pv * _l2);
            var sum = Vector512.MultiplyAddEstimate(grad, grad, Vector512.LoadUnsafe(ref s1, i));
            sum.StoreUnsafe(ref s1, i);
            var step = grad / (Vector512.Sqrt(sum) + Vector512.Create(_epsilon));
            Vector512.MultiplyAddEstimate(step, Vector512.Create(_negLr), pv).StoreUnsafe(ref p, i);
        }
    }
}
