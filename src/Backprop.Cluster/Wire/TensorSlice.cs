using System.Buffers;

namespace Backprop.Cluster.Wire;

/// <summary>
/// A contiguous range [Offset, Offset + Count) of a flat buffer of <see cref="TotalLength"/> floats,
/// the unit every tensor message carries. <see cref="Data"/> may be longer than <see cref="Count"/>
/// (a pooled array): only the first Count values count. Whoever receives the message owns the array
/// and returns it with <see cref="Release"/> once consumed; the sender never touches it after Tell.
/// </summary>
/// <param name="TotalLength">Floats in the whole buffer (the model's parameter count).</param>
/// <param name="Offset">First element of this slice.</param>
/// <param name="Count">Elements in this slice.</param>
/// <param name="Data">The values; at least <paramref name="Count"/> long.</param>
public readonly record struct TensorSlice(int TotalLength, int Offset, int Count, float[] Data)
{
    /// <summary>The values of the slice.</summary>
    public ReadOnlySpan<float> Values => Data.AsSpan(0, Count);

    /// <summary>A slice holding a pooled copy of <paramref name="values"/>.</summary>
    /// <param name="totalLength">Floats in the whole buffer.</param>
    /// <param name="offset">First element.</param>
    /// <param name="values">The values to copy.</param>
    public static TensorSlice Copy(int totalLength, int offset, ReadOnlySpan<float> values)
    {
        var data = ArrayPool<float>.Shared.Rent(Math.Max(1, values.Length));
        values.CopyTo(data);
        return new TensorSlice(totalLength, offset, values.Length, data);
    }

    /// <summary>Returns the array to the pool; the slice must not be used afterwards.</summary>
    public void Release()
    {
        if (Data is { Length: > 0 })
        {
            ArrayPool<float>.Shared.Return(Data);
        }
    }
}
