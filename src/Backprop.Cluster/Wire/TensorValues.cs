using System.Numerics.Tensors;

namespace Backprop.Cluster.Wire;

/// <summary>Quick checks of received tensor values, before they are applied.</summary>
public static class TensorValues
{
    /// <summary>Whether every value is finite (no NaN, no infinity); vectorised. True for no values.</summary>
    /// <param name="values">The values.</param>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        // TensorPrimitives.IsFiniteAll answers false for an empty span; an empty slice has nothing wrong in it.
        return values.IsEmpty || TensorPrimitives.IsFiniteAll(values);
    }

    /// <summary>The index of the first NaN or infinity, or -1 when all are finite (for the log line).</summary>
    /// <param name="values">The values.</param>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        // The vectorised pass answers the common case; the scalar search runs only on bad input.
        if (AllFinite(values))
        {
            return -1;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
