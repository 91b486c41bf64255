using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// Copies a block of an operand into the panel layout the micro-kernels stream: panels of
/// <c>width</c> rows (or columns), each stored k-major as [p][r], the last one zero-padded so the
/// kernels never test for edges inside their loops.
/// </summary>
internal static unsafe class Packing
{
    /// <summary>
    /// Packs a block whose element (r, p) is at <c>src[p·ld + r]</c>: each k-step of a panel is a
    /// contiguous run, so packing is a copy (B of A·B and Aᵀ·B, A of Aᵀ·B).
    /// </summary>
    public static void PackContiguous(float* src, nint ld, int count, int kc, int width, float* dst)
    {
        for (int r0 = 0; r0 < count; r0 += width)
        {
            int valid = Math.Min(width, count - r0);
            float* s = src + r0;
            if (valid == width)
            {
                CopyFullPanel(s, ld, kc, width, dst);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* d = dst + ((nint)p * width);
                    new ReadOnlySpan<float>(s + (p * ld), valid).CopyTo(new Span<float>(d, valid));
                    new Span<float>(d + valid, width - valid).Clear();
                }
            }

            dst += (nint)width * kc;
        }
    }

    /// <summary>
    /// Packs a block whose element (r, p) is at <c>src[r·ld + p]</c>: each panel is a transpose,
    /// done in 8×8 register tiles where AVX exists (A of A·B and A·Bᵀ, B of A·Bᵀ).
    /// </summary>
    public static void PackTransposed(float* src, nint ld, int count, int kc, int width, float* dst)
    {
        for (int r0 = 0; r0 < count; r0 += width)
        {
            int valid = Math.Min(width, count - r0);
            float* s = src + (r0 * ld);
            int done = Avx.IsSupported && (width % 8 == 0 || width < 8) ? TransposeBy8x8(s, ld, valid, kc, width, dst) : 0;
            TransposeScalar(s, ld, valid, done, kc, width, dst);
            dst += (nint)width * kc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyFullPanel(float* s, nint ld, int kc, int width, float* d)
    {
        if (Vector512.IsHardwareAccelerated && width % 16 == 0)
        {
            for (int p = 0; p < kc; p++, s += ld, d += width)
            {
                for (int x = 0; x < width; x += 16)
                {
                    Vector512.Store(Vector512.Load(s + x), d + x);
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated && width % 8 == 0)
        {
            for (int p = 0; p < kc; p++, s += ld, d += width)
            {
                for (int x = 0; x < width; x += 8)
                {
                    Vector256.Store(Vector256.Load(s + x), d + x);
                }
            }
        }
        else
        {
            for (int p = 0; p < kc; p++, s += ld, d += width)
            {
                new ReadOnlySpan<float>(s, width).CopyTo(new Span<float>(d, width));
            }
        }
    }

    /// <summary>
    /// Transposes the first multiple of 8 k-steps of a panel and returns how many it did. A panel
    /// narrower than 8 (width 4 or 6) is written with 8-float stores that spill into the next
    /// k-step's slot; every spill is overwritten by a later store of the same panel, because the
    /// last k-step is always left to the scalar tail. Spills never cross into another panel, which
    /// another thread may be packing at the same moment.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TransposeBy8x8(float* s, nint ld, int valid, int kc, int width, float* d)
    {
        int kc8 = width < 8 ? (kc - 1) & ~7 : kc & ~7;
        for (int g = 0; g < width; g += 8)
        {
            int rows = Math.Clamp(valid - g, 0, 8);
            float* sg = s + (g * ld);
            for (int p = 0; p < kc8; p += 8)
            {
                float* sp = sg + p;
                var r0 = rows > 0 ? Avx.LoadVector256(sp) : Vector256<float>.Zero;
                var r1 = rows > 1 ? Avx.LoadVector256(sp + ld) : Vector256<float>.Zero;
                var r2 = rows > 2 ? Avx.LoadVector256(sp + (2 * ld)) : Vector256<float>.Zero;
                var r3 = rows > 3 ? Avx.LoadVector256(sp + (3 * ld)) : Vector256<float>.Zero;
                var r4 = rows > 4 ? Avx.LoadVector256(sp + (4 * ld)) : Vector256<float>.Zero;
                var r5 = rows > 5 ? Avx.LoadVector256(sp + (5 * ld)) : Vector256<float>.Zero;
                var r6 = rows > 6 ? Avx.LoadVector256(sp + (6 * ld)) : Vector256<float>.Zero;
                var r7 = rows > 7 ? Avx.LoadVector256(sp + (7 * ld)) : Vector256<float>.Zero;

                // Interleave pairs, then quadruples, then swap 128-bit halves: eight columns out.
                var t0 = Avx.UnpackLow(r0, r1);
                var t1 = Avx.UnpackHigh(r0, r1);
                var t2 = Avx.UnpackLow(r2, r3);
                var t3 = Avx.UnpackHigh(r2, r3);
                var t4 = Avx.UnpackLow(r4, r5);
                var t5 = Avx.UnpackHigh(r4, r5);
                var t6 = Avx.UnpackLow(r6, r7);
                var t7 = Avx.UnpackHigh(r6, r7);
                var u0 = Avx.Shuffle(t0, t2, 0x44);
                var u1 = Avx.Shuffle(t0, t2, 0xEE);
                var u2 = Avx.Shuffle(t1, t3, 0x44);
                var u3 = Avx.Shuffle(t1, t3, 0xEE);
                var u4 = Avx.Shuffle(t4, t6, 0x44);
                var u5 = Avx.Shuffle(t4, t6, 0xEE);
                var u6 = Avx.Shuffle(t5, t7, 0x44);
                var u7 = Avx.Shuffle(t5, t7, 0xEE);

                float* dp = d + ((nint)p * width) + g;
                nint w = width;
                Avx.Store(dp, Avx.Permute2x128(u0, u4, 0x20));
                Avx.Store(dp + w, Avx.Permute2x128(u1, u5, 0x20));
                Avx.Store(dp + (2 * w), Avx.Permute2x128(u2, u6, 0x20));
                Avx.Store(dp + (3 * w), Avx.Permute2x128(u3, u7, 0x20));
                Avx.Store(dp + (4 * w), Avx.Permute2x128(u0, u4, 0x31));
                Avx.Store(dp + (5 * w), Avx.Permute2x128(u1, u5, 0x31));
                Avx.Store(dp + (6 * w), Avx.Permute2x128(u2, u6, 0x31));
                Avx.Store(dp + (7 * w), Avx.Permute2x128(u3, u7, 0x31));
            }
        }

        return kc8;
    }

    private static void TransposeScalar(float* s, nint ld, int valid, int fromP, int kc, int width, float* d)
    {
        for (int p = fromP; p < kc; p++)
        {
            float* dp = d + ((nint)p * width);
            for (int r = 0; r < valid; r++)
            {
                dp[r] = s[(r * ld) + p];
            }

            for (int r = valid; r < width; r++)
            {
                dp[r] = 0f;
            }
        }
    }
}
