namespace Backprop.Cluster.Exchange;

/// <summary>A contiguous range of the flat gradient that travels, and is applied, as one unit.</summary>
/// <param name="Offset">First element.</param>
/// <param name="Count">Elements.</param>
/// <param name="LowestLayer">The bucket is final once the backward pass has finished this layer.</param>
public readonly record struct GradientBucket(int Offset, int Count, int LowestLayer)
{
    /// <summary>One past the last element.</summary>
    public int End => Offset + Count;
}
