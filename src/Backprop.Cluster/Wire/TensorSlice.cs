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
/// <param name="Data">The values, from <paramref name="Start"/> on; at least <paramref name="Start"/> + <paramref name="Count"/> long.</param>
/// <param name="Start">Where the values begin in <paramref name="Data"/> (0 for a pooled copy).</param>
/// <param name="Pooled">Whether <paramref name="Data"/> came from the pool and goes back to it on <see cref="Release"/>.</param>
public readonly record struct TensorSlice(int TotalLength, int Offset, int Count, float[] Data, int Start = 0, bool Pooled = true)
{
    /// <summary>The values of the slice.</summary>
    public ReadOnlySpan<float> Values => Data.AsSpan(Start, Count);

    /// <summary>
    /// A slice that reads <paramref name="buffer"/> in place, without a copy: for a sender whose buffer
    /// stays unchanged until the receiver has answered (the server's weights until the step closes, a
    /// worker's gradient until the next weights). Never returned to the pool.
    /// </summary>
    /// <param name="buffer">The whole flat buffer.</param>
    /// <param name="offset">First element.</param>
    /// <param name="count">Elements.</param>
    public static TensorSlice Borrow(float[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return new TensorSlice(buffer.Length, offset, count, buffer, offset, Pooled: false);
    }

    /// <summary>A slice holding a pooled copy of <paramref name="values"/>.</summary>
    /// <param name="totalLength">Floats in the whole buffer.</param>
    /// <param name="offset">First element.</param>
    /// <param name="values">The values to copy.</param>
    public static TensorSlice Copy(int totalLength, int offset, ReadOnlySpan<float> values)
    {
        var data = TensorPool.Floats.Rent(Math.Max(1, values.Length));
        values.CopyTo(data);
        return new TensorSlice(totalLength, offset, values.Length, data);
    }

    /// <summary>Returns the array to the pool; the slice must not be used afterwards.</summary>
    public void Release()
    {
        if (Pooled && Data is { Length: > 0 })
        {
            TensorPool.Floats.Return(Data);
        }
    }
}
