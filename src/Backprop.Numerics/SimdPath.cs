namespace Backprop.Numerics;

/// <summary>Which vector width a kernel runs on. <see cref="Auto"/> picks the widest the CPU accelerates.</summary>
public enum SimdPath
{
    /// <summary>The widest accelerated width of this CPU.</summary>
    Auto,

    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512,

    /// <summary>256-bit vectors (AVX2 + FMA on x64).</summary>
    Vector256,

    /// <summary>128-bit vectors (SSE on x64, AdvSimd on ARM64).</summary>
    Vector128,

    /// <summary>Plain scalar code: the reference path, and the one for CPUs with no SIMD.</summary>
    Scalar,
}
