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
    public static void InRankOrder(IReadOnlyList<float[]> gradients, Span<float> total)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count == 0)
        {
            total.Clear();
            return;
        }

        if (gradients.Count == 1)
        {
            gradients[0].AsSpan(0, total.Length).CopyTo(total);
            return;
        }

        // The first two in one pass rather than a copy and an add: the same sums, one pass fewer.
        TensorPrimitives.Add(gradients[0].AsSpan(0, total.Length), gradients[1].AsSpan(0, total.Length), total);
        for (int i = 2; i < gradients.Count; i++)
        {
            TensorPrimitives.Add(total, gradients[i].AsSpan(0, total.Length), total);
        }
    }
}
