namespace Backprop.Numerics.Tests.Reference;

/// <summary>Matrix shapes for row-wise kernels: column counts on both sides of every vector width (4, 8, 16).</summary>
internal static class Shapes
{
    /// <summary>Columns around 4, 8, 16 and their multiples up to 256.</summary>
    public static readonly int[] Columns = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 127, 129, 255, 257];

    /// <summary>A few row counts, including one.</summary>
    public static readonly int[] Rows = [1, 3, 5];

    /// <summary>Every (rows, cols) pair of <see cref="Rows"/> × <see cref="Columns"/>, plus the empty matrices.</summary>
    public static IEnumerable<(int Rows, int Cols)> All()
    {
        yield return (0, 0);
        yield return (0, 7);
        foreach (int rows in Rows)
        {
            foreach (int cols in Columns)
            {
                yield return (rows, cols);
            }
        }
    }
}
