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
/// <remarks>
/// A sender that wants fewer bytes on the wire says so on the slice, with <see cref="Encoding"/> (and
/// <see cref="Indices"/> for <see cref="TensorEncoding.Sparse"/>); <see cref="Data"/> always holds the
/// float32 values in full, so the slice means the same whether it is serialized or handed over in
/// process. The wire writes it in the chosen encoding straight from <see cref="Data"/> and the receiver
/// reads it back into a pooled float32 array: a received slice is always <see cref="TensorEncoding.Fp32"/>
/// with no indices, and actors never handle an encoding. In process (no serializer on the way) a bf16 or
/// fp16 slice arrives unrounded; every transport between nodes serializes.
/// </remarks>
public readonly record struct TensorSlice(int TotalLength, int Offset, int Count, float[] Data, int Start = 0, bool Pooled = true)
{
    /// <summary>
    /// On a received slice, the bytes its values (and positions) took on the wire, whatever their
    /// encoding; 0 on a slice made here or handed over in process.
    /// </summary>
    public long WireBytes { get; init; }

    /// <summary>The bytes its values (and positions) take on the wire in its encoding, as <see cref="WireBytes"/> counts them at the receiver.</summary>
    public long PayloadBytes => Encoding switch
    {
        TensorEncoding.Bf16 or TensorEncoding.Fp16 => 2L * Count,
        TensorEncoding.Sparse => 8L * Indices.Length,
        _ => 4L * Count,
    };

    /// <summary>The values of the slice.</summary>
    public ReadOnlySpan<float> Values => Data.AsSpan(Start, Count);

    /// <summary>How the values travel on the wire; <see cref="TensorEncoding.Fp32"/> unless the sender chose otherwise.</summary>
    public TensorEncoding Encoding { get; init; }

    /// <summary>
    /// With <see cref="TensorEncoding.Sparse"/>: the positions, relative to <see cref="Offset"/> and strictly
    /// increasing, of the values that travel; <see cref="Values"/> holds them at those positions and zeros
    /// elsewhere (what the receiver rebuilds). Empty for every other encoding. Never pooled: the memory
    /// stays its owner's, under the same rule as a borrowed <see cref="Data"/>.
    /// </summary>
    public ReadOnlyMemory<int> Indices { get; init; }

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

    /// <summary>
    /// The same slice with buffers of its own (pooled values, copied positions): for a sender whose
    /// buffers change before the slice is surely on the wire.
    /// </summary>
    public TensorSlice Detached() =>
        Copy(TotalLength, Offset, Values) with { Encoding = Encoding, Indices = Indices.IsEmpty ? default : Indices.ToArray() };

    /// <summary>Returns the array to the pool; the slice must not be used afterwards.</summary>
    public void Release()
    {
        if (Pooled && Data is { Length: > 0 })
        {
            TensorPool.Floats.Return(Data);
        }
    }
}
