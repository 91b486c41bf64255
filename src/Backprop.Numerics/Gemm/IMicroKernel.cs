namespace Backprop.Numerics.Gemm;

/// <summary>
/// A register-blocked micro-kernel: an Mr×Nr tile of C from an Mr-row sliver of packed A and an
/// Nr-column sliver of packed B. The driver is generic over it, so Mr and Nr become JIT-time
/// constants in the packing and blocking loops too.
/// </summary>
internal interface IMicroKernel
{
    /// <summary>Rows of C per tile.</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of C per tile.</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// C[0..Mr, 0..Nr] = α·Σ_p a[p·Mr + i]·b[p·Nr + j] + β·C; when β is 0, C is written without being read.
    /// </summary>
    static abstract unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta);
}
