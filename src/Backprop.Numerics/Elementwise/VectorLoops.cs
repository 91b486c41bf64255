using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// The loops every custom element-wise kernel runs on. Arguments are validated by the public entry; these only
/// assert. Each width's loop doubles as the tail of the wider one (on AVX-512 the 256- and 128-bit loops run at
/// most once each), so at most three elements ever take the scalar path and short spans need no special case.
/// <c>VectorNNN.IsHardwareAccelerated</c> are JIT-time constants: the unused widths are compiled away.
/// </summary>
internal static class VectorLoops
{
    /// <summary>
    /// Elements summed in float before the partial sum is added to a double: short enough that float rounding
    /// stays near a few ulps, long enough that the double work is negligible. A multiple of every vector width.
    /// </summary>
    internal const int AccumulateBlock = 1024;

    /// <summary>y[i] = op(x[i]); <paramref name="y"/> may be <paramref name="x"/> itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unary<TOp>(ReadOnlySpan<float> x, Span<float> y, TOp op)
        where TOp : struct, IUnaryOperator
    {
        Debug.Assert(x.Length == y.Length, "validated by the caller");
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) = op.Invoke(Unsafe.Add(ref xr, i));
        }
    }

    /// <summary>y[i] = op(a[i], b[i]); <paramref name="y"/> may be <paramref name="a"/> or <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Binary<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, TOp op)
        where TOp : struct, IBinaryOperator
    {
        Debug.Assert(a.Length == y.Length && b.Length == y.Length, "validated by the caller");
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)y.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i)).StoreUnsafe(ref yr, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
        }
    }

    /// <summary>
    /// y[i] = op(x[i]) and returns Σ term(x[i]), summed in float within blocks of <see cref="AccumulateBlock"/>
    /// and in double across blocks. An empty <paramref name="y"/> means "reduce only".
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double UnaryAccumulate<TOp>(ReadOnlySpan<float> x, Span<float> y, TOp op)
        where TOp : struct, IUnaryAccumulateOperator
    {
        Debug.Assert(y.IsEmpty || x.Length == y.Length, "validated by the caller");
        bool store = !y.IsEmpty;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length;
        double total = 0;
        for (nuint start = 0; start < n; start += AccumulateBlock)
        {
            total += UnaryAccumulateBlock(ref xr, ref yr, start, Math.Min(n, start + AccumulateBlock), store, op);
        }

        return total;
    }

    /// <summary>
    /// y[i] = op(a[i], b[i]) and returns Σ term(a[i], b[i]), blocked as <see cref="UnaryAccumulate{TOp}"/>.
    /// An empty <paramref name="y"/> means "reduce only".
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double BinaryAccumulate<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, TOp op)
        where TOp : struct, IBinaryAccumulateOperator
    {
        Debug.Assert(a.Length == b.Length && (y.IsEmpty || a.Length == y.Length), "validated by the caller");
        bool store = !y.IsEmpty;
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length;
        double total = 0;
        for (nuint start = 0; start < n; start += AccumulateBlock)
        {
            total += BinaryAccumulateBlock(ref ar, ref br, ref yr, start, Math.Min(n, start + AccumulateBlock), store, op);
        }

        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float UnaryAccumulateBlock<TOp>(ref float xr, ref float yr, nuint i, nuint end, bool store, TOp op)
        where TOp : struct, IUnaryAccumulateOperator
    {
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && i + 16 <= end)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= end; i += 16)
            {
                var r = op.Invoke(Vector512.LoadUnsafe(ref xr, i), out var term);
                acc += term;
                if (store)
                {
                    r.StoreUnsafe(ref yr, i);
                }
            }

            sum += Vector512.Sum(acc);
        }

        if (Vector256.IsHardwareAccelerated && i + 8 <= end)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= end; i += 8)
            {
                var r = op.Invoke(Vector256.LoadUnsafe(ref xr, i), out var term);
                acc += term;
                if (store)
                {
                    r.StoreUnsafe(ref yr, i);
                }
            }

            sum += Vector256.Sum(acc);
        }

        if (Vector128.IsHardwareAccelerated && i + 4 <= end)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= end; i += 4)
            {
                var r = op.Invoke(Vector128.LoadUnsafe(ref xr, i), out var term);
                acc += term;
                if (store)
                {
                    r.StoreUnsafe(ref yr, i);
                }
            }

            sum += Vector128.Sum(acc);
        }

        for (; i < end; i++)
        {
            float r = op.Invoke(Unsafe.Add(ref xr, i), out float term);
            sum += term;
            if (store)
            {
                Unsafe.Add(ref yr, i) = r;
            }
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float BinaryAccumulateBlock<TOp>(
        ref float ar, ref float br, ref float yr, nuint i, nuint end, bool store, TOp op)
        where TOp : struct, IBinaryAccumulateOperator
    {
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && i + 16 <= end)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= end; i += 16)
            {
                var r = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i), out var term);
                acc += term;
                if (store)
                {
                    r.StoreUnsafe(ref yr, i);
                }
            }

            sum += Vector512.Sum(acc);
        }

        if (Vector256.IsHardwareAccelerated && i + 8 <= end)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= end; i += 8)
            {
                var r = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i), out var term);
                acc += term;
                if (store)
                {
                    r.StoreUnsafe(ref yr, i);
                }
            }

            sum += Vector256.Sum(acc);
        }

        if (Vector128.IsHardwareAccelerated && i + 4 <= end)
        {
            var acc = Vector128<float>.Zero;
            for (; i + 4 <= end; i += 4)
            {
                var r = op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i), out var term);
                acc += term;
                if (store)
                {
                    r.StoreUnsafe(ref yr, i);
                }
            }

            sum += Vector128.Sum(acc);
        }

        for (; i < end; i++)
        {
            float r = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i), out float term);
            sum += term;
            if (store)
            {
                Unsafe.Add(ref yr, i) = r;
            }
        }

        return sum;
    }
}
