namespace Backprop.Nn.Data;

/// <summary>Seeded, deterministic train/test splits: stratified by class for classification.</summary>
public static class DataSplit
{
    /// <summary>
    /// Holds out about <paramref name="fraction"/> of the samples (rounded to the nearest count); see
    /// <see cref="HoldoutIndices"/> for how rows are chosen.
    /// </summary>
    /// <param name="data">The dataset to split.</param>
    /// <param name="fraction">The share held out, in [0, 1).</param>
    /// <param name="seed">Fixes the shuffle: the same seed gives the same sets in the same order.</param>
    /// <returns>The remaining rows and the held-out rows, as new datasets.</returns>
    public static (Dataset Remaining, Dataset HeldOut) Holdout(Dataset data, double fraction, long seed)
    {
        var (rest, heldOut) = HoldoutIndices(data, fraction, seed);
        return (data.Select(rest), data.Select(heldOut));
    }

    /// <summary>
    /// The row indices of <see cref="Holdout"/>. Classification: each class is shuffled and contributes
    /// its share (largest-remainder rounding, so the total is round(Count·fraction) where the classes
    /// allow it), and every class with two or more samples keeps at least one in the rest. Regression: one
    /// shuffle, at least one sample kept. Both index sets are shuffled, disjoint, and together cover every row.
    /// </summary>
    /// <param name="data">The dataset to split.</param>
    /// <param name="fraction">The share held out, in [0, 1).</param>
    /// <param name="seed">Fixes the shuffle.</param>
    public static (int[] Remaining, int[] HeldOut) HoldoutIndices(Dataset data, double fraction, long seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be in [0, 1).");
        }

        var random = new SplitMix64(seed);
        int total = (int)Math.Round(data.Count * fraction, MidpointRounding.AwayFromZero);
        if (data.Task == TaskKind.Regression)
        {
            var order = Enumerable.Range(0, data.Count).ToArray();
            random.Shuffle(order);
            int held = Math.Min(total, Math.Max(0, data.Count - 1));
            return (order[held..], order[..held]);
        }

        var byClass = new List<int>[data.ClassCount];
        for (int c = 0; c < byClass.Length; c++)
        {
            byClass[c] = [];
        }

        for (int i = 0; i < data.Count; i++)
        {
            byClass[data.Labels[i]].Add(i);
        }

        var quotas = Quotas(byClass.Select(l => l.Count).ToArray(), fraction, total);
        var rest = new List<int>(data.Count - total);
        var heldOut = new List<int>(total);
        for (int c = 0; c < byClass.Length; c++)
        {
            var members = byClass[c].ToArray();
            random.Shuffle(members);
            heldOut.AddRange(members[..quotas[c]]);
            rest.AddRange(members[quotas[c]..]);
        }

        // Interleave the classes: a consumer that takes a prefix should not get one class only.
        var restArray = rest.ToArray();
        var heldOutArray = heldOut.ToArray();
        random.Shuffle(restArray);
        random.Shuffle(heldOutArray);
        return (restArray, heldOutArray);
    }

    // Largest remainder: floor of each class's share, then one more to the classes with the largest
    // fractional parts (lower class first on ties) until the total is reached; a class never gives up
    // its last sample.
    private static int[] Quotas(int[] sizes, double fraction, int total)
    {
        var quotas = new int[sizes.Length];
        var caps = sizes.Select(n => Math.Max(0, n - 1)).ToArray();
        for (int c = 0; c < sizes.Length; c++)
        {
            quotas[c] = Math.Min((int)Math.Floor(sizes[c] * fraction), caps[c]);
        }

        var byRemainder = Enumerable.Range(0, sizes.Length)
            .OrderByDescending(c => (sizes[c] * fraction) - Math.Floor(sizes[c] * fraction))
            .ThenBy(c => c)
            .ToArray();
        int left = total - quotas.Sum();
        bool progress = true;
        while (left > 0 && progress)
        {
            progress = false;
            foreach (int c in byRemainder)
            {
                if (left > 0 && quotas[c] < caps[c])
                {
                    quotas[c]++;
                    left--;
                    progress = true;
                }
            }
        }

        return quotas;
    }
}
