using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Elementwise;

/// <summary>Per-element bodies of the summing kernels (<see cref="Blas1"/>, softmax, the losses).</summary>
internal static class ReductionOperators
{
    /// <summary>Term a·b, no output: a dot product.</summary>
    internal readonly struct ProductTerm : IBinaryAccumulateOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b, out float term)
        {
            term = a * b;
            return 0f;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b, out Vector128<float> term)
        {
            term = a * b;
            return Vector128<float>.Zero;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, out Vector256<float> term)
        {
            term = a * b;
            return Vector256<float>.Zero;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, out Vector512<float> term)
        {
            term = a * b;
            return Vector512<float>.Zero;
        }
    }

    /// <summary>Term x², no output.</summary>
    internal readonly struct SquareTerm : IUnaryAccumulateOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x, out float term)
        {
            term = x * x;
            return 0f;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x, out Vector128<float> term)
        {
            term = x * x;
            return Vector128<float>.Zero;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x, out Vector256<float> term)
        {
            term = x * x;
            return Vector256<float>.Zero;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x, out Vector512<float> term)
        {
            term = x * x;
            return Vector512<float>.Zero;
        }
    }

    /// <summary>Term x, no output: a plain sum.</summary>
    internal readonly struct ValueTerm : IUnaryAccumulateOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x, out float term)
        {
            term = x;
            return 0f;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x, out Vector128<float> term)
        {
            term = x;
            return Vector128<float>.Zero;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x, out Vector256<float> term)
        {
            term = x;
            return Vector256<float>.Zero;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x, out Vector512<float> term)
        {
            term = x;
            return Vector512<float>.Zero;
        }
    }

    /// <summary>y = e^(x − shift), and the term is y: the numerator and denominator of softmax in one pass.</summary>
    internal readonly struct ExpShift(float shift) : IUnaryAccumulateOperator
    {
        private readonly float _shift = shift;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float x, out float term) => term = MathF.Exp(x - _shift);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> x, out Vector128<float> term) =>
            term = VectorExp.Exp(x - Vector128.Create(_shift));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> x, out Vector256<float> term) =>
            term = VectorExp.Exp(x - Vector256.Create(_shift));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> x, out Vector512<float> term) =>
            term = VectorExp.Exp(x - Vector512.Create(_shift));
    }

    /// <summary>Softmax backward: dx = y·(dy − dot) with dot = Σ dy·y of the row. Arguments: a = y, b = dy.</summary>
    internal readonly struct SoftmaxBackward(float dot) : IBinaryOperator
    {
        private readonly float _dot = dot;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b) => a * (b - _dot);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a * (b - Vector128.Create(_dot));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a * (b - Vector256.Create(_dot));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a * (b - Vector512.Create(_dot));
    }

    /// <summary>
    /// Log-softmax backward: dx = dy − e^y·sum with sum = Σ dy of the row (e^y is the softmax). Arguments: a = y, b = dy.
    /// </summary>
    internal readonly struct LogSoftmaxBackward(float sum) : IBinaryOperator
    {
        private readonly float _sum = sum;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float a, float b) => b - (MathF.Exp(a) * _sum);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) =>
            Vector128.MultiplyAddEstimate(VectorExp.Exp(a), Vector128.Create(-_sum), b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) =>
            Vector256.MultiplyAddEstimate(VectorExp.Exp(a), Vector256.Create(-_sum), b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) =>
            Vector512.MultiplyAddEstimate(VectorExp.Exp(a), Vector512.Create(-_sum), b);
    }
}
