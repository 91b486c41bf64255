using System.Numerics.Tensors;

namespace Backprop.Nn.Training;

/// <summary>
/// The sum of the workers' gradients in rank order: ((g0 + g1) + g2) + …, so the result is the same
/// float operations as the local trainer's sliced step whatever order the gradients arrived in.
/// </summary>
public static class GradientSum
{
    /// <summary>total = g[0] + g[1] + … in the given order; an empty list gives zeros.</summary>
    /// <param name="gradients">The gradients in rank order.</param>
    /// <param name="total">The sum, overwritten.</param>
    public static void InRankOrder(IReadOnlyList<float[]> gradients, Span<float> total) => InRankOrder(gradients, 0, total);

    /// <summary>
    /// One range of the sum: total = g[0][offset..] + g[1][offset..] + … for total's length, the same
    /// bits as that range of the whole sum (each element is summed on its own, in the same order).
    /// </summary>
    /// <param name="gradients">The gradients in rank order.</param>
    /// <param name="offset">Where the range starts in each gradient.</param>
    /// <param name="total">The range's sum, overwritten.</param>
    public static void InRankOrder(IReadOnlyList<float[]> gradients, int offset, Span<float> total)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count == 0)
        {
            total.Clear();
            return;
        }

        if (gradients.Count == 1)
        {
            gradients[0].AsSpan(offset, total.Length).CopyTo(total);
            return;
        }

        // The first two in one pass rather than a copy and an add: the same sums, one pass fewer.
        TensorPrimitives.Add(gradients[0].AsSpan(offset, total.Length), gradients[1].AsSpan(offset, total.Length), total);
        for (int i = 2; i < gradients.Count; i++)
        {
            TensorPrimitives.Add(total, gradients[i].AsSpan(offset, total.Length), total);
        }
    }
}
