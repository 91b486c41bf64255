using System.Numerics.Tensors;

namespace Backprop.Nn.Training;

/// <summary>
/// The sum of the workers' gradients in rank order: the first copied, each next one added, so the
/// result is the same float operations as the local trainer's sliced step whatever order the
/// gradients arrived in.
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

        gradients[0].AsSpan(0, total.Length).CopyTo(total);
        for (int i = 1; i < gradients.Count; i++)
        {
            TensorPrimitives.Add(total, gradients[i].AsSpan(0, total.Length), total);
        }
    }
}
