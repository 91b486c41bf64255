using System.Buffers;

namespace Backprop.Cluster.Wire;

/// <summary>
/// The arrays that tensor slices travel in. A pool of its own rather than <see cref="ArrayPool{T}.Shared"/>:
/// the shared pool drops its arrays on every full garbage collection (an epoch's evaluation causes
/// one), after which each step of a large model re-allocated megabytes until the pool refilled; this
/// one keeps what it has been given back.
/// </summary>
internal static class TensorPool
{
    // Every array in flight at once: a gradient per worker at the server, weights at each worker in the
    // same process, and with Akka.Remote several slices of each.
    private const int ArraysPerSize = 64;

    /// <summary>The pool of slice arrays.</summary>
    public static ArrayPool<float> Floats { get; } = ArrayPool<float>.Create(1 << 30, ArraysPerSize);
}
