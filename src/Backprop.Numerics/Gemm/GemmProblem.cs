using Backprop.Numerics.Elementwise;

namespace Backprop.Numerics.Gemm;

/// <summary>
/// One validated product on raw pointers: the whole call, or one thread's share of it (a range of
/// C's rows or columns with the operands offset to match).
/// </summary>
internal readonly unsafe struct GemmProblem
{
    public GemmForm Form { get; init; }

    public int M { get; init; }

    public int N { get; init; }

    public int K { get; init; }

    public float Alpha { get; init; }

    public float Beta { get; init; }

    public float* A { get; init; }

    public nint Lda { get; init; }

    public float* B { get; init; }

    public nint Ldb { get; init; }

    public float* C { get; init; }

    public nint Ldc { get; init; }

    /// <summary>A bias of length N added to every row of C after the product, or null.</summary>
    public float* Bias { get; init; }

    public Activation Activation { get; init; }

    public bool HasEpilogue => Bias != null || Activation.Kind != ActivationKind.Identity;

    /// <summary>The share of rows [m0, m1) of C: A's rows (or columns, for Aᵀ·B) move with them.</summary>
    public GemmProblem Rows(int m0, int m1) => this with
    {
        M = m1 - m0,
        A = Form == GemmForm.AtB ? A + m0 : A + (m0 * Lda),
        C = C + (m0 * Ldc),
    };

    /// <summary>The share of columns [n0, n1) of C: B's columns (or rows, for A·Bᵀ) and the bias move with them.</summary>
    public GemmProblem Columns(int n0, int n1) => this with
    {
        N = n1 - n0,
        B = Form == GemmForm.ABt ? B + (n0 * Ldb) : B + n0,
        C = C + n0,
        Bias = Bias == null ? null : Bias + n0,
    };
}
