namespace Backprop.Nn.Training;

/// <summary>
/// How a global batch is cut into contiguous slices, one per worker rank: the rule local training
/// and the cluster share, so that N workers compute exactly the slices the local reference does.
/// </summary>
public static class BatchSlicing
{
    /// <summary>The rows [Start, Start + Count) of a <paramref name="batchRows"/>-row batch that rank <paramref name="rank"/> of <paramref name="workers"/> takes.</summary>
    /// <param name="batchRows">Rows in the global batch.</param>
    /// <param name="workers">Workers in this step.</param>
    /// <param name="rank">0-based rank.</param>
    public static (int Start, int Count) Slice(int batchRows, int workers, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchRows);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, workers);
        int start = (int)((long)batchRows * rank / workers);
        int end = (int)((long)batchRows * (rank + 1) / workers);
        return (start, end - start);
    }
}
