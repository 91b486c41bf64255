namespace Backprop.Nn.Data;

/// <summary>
/// Feature rows that live outside the managed heap (a memory-mapped <c>.bpd</c> file), read one row at
/// a time in place, so a dataset can be larger than memory. Rows are raw: scaling is applied by the
/// dataset as each row is copied out (<see cref="Dataset.CopyRow"/>).
/// </summary>
public abstract class FeatureRows
{
    /// <summary>Creates the source of <paramref name="count"/> rows of <paramref name="featureCount"/> features.</summary>
    /// <param name="count">Rows.</param>
    /// <param name="featureCount">Features per row, at least 1.</param>
    protected FeatureRows(int count, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        Count = count;
        FeatureCount = featureCount;
    }

    /// <summary>Rows.</summary>
    public int Count { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>The raw features of row <paramref name="index"/>, read in place; valid while this object is alive.</summary>
    /// <param name="index">In [0, <see cref="Count"/>).</param>
    public abstract ReadOnlySpan<float> Row(int index);
}
