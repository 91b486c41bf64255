namespace Backprop.Numerics.Gemm;

/// <summary>The checks at the public entry of a product, each failure naming the argument and the numbers.</summary>
internal static class GemmArguments
{
    public static void Validate(
        GemmForm form, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, ReadOnlySpan<float> bias)
    {
        if (!Enum.IsDefined(form))
        {
            throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown GEMM form.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);

        var (aRows, aCols) = form == GemmForm.AtB ? (k, m) : (m, k);
        var (bRows, bCols) = form == GemmForm.ABt ? (n, k) : (k, n);
        CheckMatrix(form, "a", "A", a.Length, aRows, aCols, lda);
        CheckMatrix(form, "b", "B", b.Length, bRows, bCols, ldb);
        CheckMatrix(form, "c", "C", c.Length, m, n, ldc);

        if (!bias.IsEmpty && bias.Length != n)
        {
            throw new ArgumentException($"GEMM {form}: the bias has {bias.Length} values; C has n = {n} columns.", nameof(bias));
        }

        // Only the elements the product touches count: disjoint matrices in one buffer are fine.
        ReadOnlySpan<float> written = c[..(int)RequiredLength(m, n, ldc)];
        string? overlapped = Overlaps(written, a[..(int)RequiredLength(aRows, aCols, lda)]) ? nameof(a)
            : Overlaps(written, b[..(int)RequiredLength(bRows, bCols, ldb)]) ? nameof(b)
            : Overlaps(written, bias) ? nameof(bias)
            : null;
        if (overlapped is not null)
        {
            throw new ArgumentException($"GEMM {form}: c overlaps {overlapped}; the product cannot be written over one of its inputs.", nameof(c));
        }
    }

    /// <summary>Elements a rows×cols row-major matrix with leading dimension ld spans: the last row need not be padded.</summary>
    public static long RequiredLength(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;

    private static void CheckMatrix(GemmForm form, string argument, string name, int length, int rows, int cols, int ld)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentOutOfRangeException(
                "ld" + argument, ld, $"GEMM {form}: ld{argument} = {ld} is less than the {cols} columns of {name} as stored ({rows}×{cols}).");
        }

        long required = RequiredLength(rows, cols, ld);
        if (length < required)
        {
            throw new ArgumentException(
                $"GEMM {form}: {argument} has {length} elements; {name} stored {rows}×{cols} with ld{argument} = {ld} needs at least {required}.", argument);
        }
    }

    private static bool Overlaps(ReadOnlySpan<float> written, ReadOnlySpan<float> input) =>
        !input.IsEmpty && !written.IsEmpty && written.Overlaps(input);
}
