using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Numerics.Optimizers;

/// <summary>
/// The one loop every optimiser runs over the flat buffers: widest accelerated width first, each narrower width
/// finishing the tail of the wider, scalar for the last few elements (the same shape as the element-wise loops).
/// </summary>
internal static class OptimizerLoop
{
    /// <summary>Applies <paramref name="op"/> to every element; lengths and overlaps are checked by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOp>(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> state1, Span<float> state2, Span<float> state3, TOp op)
        where TOp : struct, IOptimizerOperator
    {
        Debug.Assert(gradients.Length == parameters.Length, "validated by the caller");
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float s1 = ref MemoryMarshal.GetReference(state1);
        ref float s2 = ref MemoryMarshal.GetReference(state2);
        ref float s3 = ref MemoryMarshal.GetReference(state3);
        nuint n = (nuint)parameters.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
            {
                op.Step16(ref p, ref g, ref s1, ref s2, ref s3, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                op.Step8(ref p, ref g, ref s1, ref s2, ref s3, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                op.Step4(ref p, ref g, ref s1, ref s2, ref s3, i);
            }
        }

        for (; i < n; i++)
        {
            op.Step1(ref p, ref g, ref s1, ref s2, ref s3, i);
        }
    }
}
