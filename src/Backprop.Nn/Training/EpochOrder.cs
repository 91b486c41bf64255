using Backprop.Nn.Randomness;

namespace Backprop.Nn.Training;

/// <summary>The order of the training set in an epoch: one shuffle per (seed, epoch), computed, never sent.</summary>
public static class EpochOrder
{
    /// <summary>Fills <paramref name="order"/> with a permutation of 0..length−1 for <paramref name="epoch"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">0-based epoch.</param>
    /// <param name="order">The sample indices, one per training sample.</param>
    public static void Fill(long seed, int epoch, Span<int> order)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        RandomSource.Derive(seed, RandomPurpose.Shuffle, epoch).Shuffle(order);
    }

    /// <summary>Batches in an epoch of <paramref name="samples"/> samples: the last may be short.</summary>
    /// <param name="samples">Training samples.</param>
    /// <param name="batchSize">The global batch size.</param>
    public static int BatchCount(int samples, int batchSize) => (samples + batchSize - 1) / batchSize;
}
