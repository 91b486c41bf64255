using System.Numerics.Tensors;
using Backprop.Numerics.Selection;

namespace Backprop.Nn.Compression;

/// <summary>
/// Top-k gradient sparsification with error feedback, for one worker: of each range of its gradient
/// it sends only the k values of largest magnitude, and keeps what it did not send (the residual) to
/// add to the same range's gradient at the next step, so no part of any gradient is ever lost, only
/// delayed. The residual spans the whole flat buffer, so any cut into ranges works, as long as
/// it stays the same from step to step.
/// </summary>
/// <remarks>
/// Per range [offset, offset + count) with fresh gradient g and residual e:
/// a = g + e (float32); the k largest |a| are sent (ties to the lower position); e ← a − sent, which
/// is a with the sent positions zeroed, so sent + e equals a exactly, bit for bit.
/// Not thread-safe: one worker's job owns it.
/// </remarks>
public sealed class TopKCompressor
{
    private readonly float[] _residual;

    /// <summary>A compressor for a flat buffer of <paramref name="length"/> floats, with a zero residual.</summary>
    /// <param name="length">Floats in the gradient buffer.</param>
    public TopKCompressor(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _residual = new float[length];
    }

    /// <summary>The residual: what has been computed but not yet sent, per position of the flat buffer.</summary>
    public ReadOnlySpan<float> Residual => _residual;

    /// <summary>
    /// How many of <paramref name="count"/> values the ratio keeps: ⌈ratio · count⌉, at least 1 and at
    /// most <paramref name="count"/> (0 for an empty range).
    /// </summary>
    /// <param name="count">Values in the range.</param>
    /// <param name="ratio">The fraction kept, in (0, 1].</param>
    public static int KeptCount(int count, double ratio)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(ratio > 0 && ratio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The ratio kept must be above 0 and at most 1.");
        }

        return (int)Math.Min(count, Math.Max(1, Math.Ceiling(ratio * count)));
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> to the residual of its range, picks the <c>indices.Length</c>
    /// largest magnitudes of the sum, and moves them out of the residual into <paramref name="sent"/>.
    /// </summary>
    /// <param name="gradient">The range's fresh gradient; count values.</param>
    /// <param name="offset">Where the range starts in the flat buffer.</param>
    /// <param name="indices">k positions out, relative to <paramref name="offset"/>, increasing; k is its length (at most count).</param>
    /// <param name="sent">count values out: the sum at the picked positions, zero elsewhere.</param>
    public void Compress(ReadOnlySpan<float> gradient, int offset, Span<int> indices, Span<float> sent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (offset > _residual.Length - gradient.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The range [{offset}, +{gradient.Length}) is outside the {_residual.Length}-float buffer.");
        }

        if (sent.Length != gradient.Length)
        {
            throw new ArgumentException($"sent holds {sent.Length} values; the range has {gradient.Length}.", nameof(sent));
        }

        Span<float> residual = _residual.AsSpan(offset, gradient.Length);
        TensorPrimitives.Add(residual, gradient, residual);
        MagnitudeSelection.Largest(residual, indices);
        sent.Clear();
        foreach (int i in indices)
        {
            sent[i] = residual[i];
            residual[i] = 0f;
        }
    }

    /// <summary>Forgets the residual, as at the start of a job.</summary>
    public void Reset() => Array.Clear(_residual);
}
