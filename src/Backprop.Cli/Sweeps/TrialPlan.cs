using System.Globalization;
using System.Text;

namespace Backprop.Cli.Sweeps;

/// <summary>The trials of a sweep: every combination of the grid, or a seeded sample of distinct ones.</summary>
internal static class TrialPlan
{
    // Folder names stay readable and well under file-system limits.
    private const int MaxIdLength = 80;

    /// <summary>How many combinations the grid has (saturating at <see cref="long.MaxValue"/>).</summary>
    public static long Combinations(IReadOnlyList<GridAxis> axes)
    {
        long total = 1;
        foreach (var axis in axes)
        {
            total = total > long.MaxValue / axis.Values.Count ? long.MaxValue : total * axis.Values.Count;
        }

        return total;
    }

    /// <summary>Every combination, the first axis outermost and the last changing fastest.</summary>
    public static IReadOnlyList<Trial> Grid(IReadOnlyList<GridAxis> axes)
    {
        long total = Combinations(axes);
        return [.. Enumerable.Range(0, checked((int)total)).Select(i => At(axes, i, total))];
    }

    /// <summary>
    /// <paramref name="count"/> distinct combinations drawn with <paramref name="seed"/> (all of them when the
    /// grid has no more), in grid order so the table reads like the full grid's.
    /// </summary>
    public static IReadOnlyList<Trial> Random(IReadOnlyList<GridAxis> axes, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        long total = Combinations(axes);
        if (count >= total)
        {
            return Grid(axes);
        }

        var random = new Random(seed);
        var chosen = new HashSet<long>();

        // Rejection sampling needs few draws while at most half the grid is taken; past that, a partial shuffle.
        if (count <= total / 2)
        {
            while (chosen.Count < count)
            {
                chosen.Add(random.NextInt64(total));
            }
        }
        else
        {
            var indices = Enumerable.Range(0, (int)total).Select(i => (long)i).ToArray();
            for (int i = 0; i < count; i++)
            {
                int j = random.Next(i, indices.Length);
                (indices[i], indices[j]) = (indices[j], indices[i]);
                chosen.Add(indices[i]);
            }
        }

        return [.. chosen.Order().Select(i => At(axes, i, total))];
    }

    /// <summary>The combination at <paramref name="index"/> of the full grid.</summary>
    private static Trial At(IReadOnlyList<GridAxis> axes, long index, long total)
    {
        var values = new string[axes.Count];
        long rest = index;
        for (int a = axes.Count - 1; a >= 0; a--)
        {
            values[a] = axes[a].Values[(int)(rest % axes[a].Values.Count)];
            rest /= axes[a].Values.Count;
        }

        int digits = Math.Max(3, (total == long.MaxValue ? 19 : total).ToString(CultureInfo.InvariantCulture).Length);
        var id = new StringBuilder((index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'));
        for (int a = 0; a < axes.Count; a++)
        {
            id.Append('-').Append(Sanitize(ShortName(axes[a].Name) + values[a]));
        }

        string text = id.ToString();
        return new Trial(index, text.Length > MaxIdLength ? text[..MaxIdLength] : text, values);
    }

    private static string ShortName(string name) => name[(name.LastIndexOf('.') + 1)..];

    private static string Sanitize(string text) =>
        new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-' ? c : '_')]);
}
