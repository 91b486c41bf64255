using System.Runtime.InteropServices;

namespace Backprop.Cluster.Wire;

/// <summary>
/// Collects the slices of one tensor of known length into a destination buffer, in any order, and
/// says when every element has arrived. A slice overlapping anything already received is a
/// duplicate and is dropped whole, so no element is ever written twice. The assembly only keeps
/// track of what arrived; the destination is the caller's (a staging buffer, the flat parameter
/// buffer). <see cref="Reset"/> starts the next tensor without allocating.
/// </summary>
/// <remarks>
/// Received ranges are kept sorted and merged, so in-order arrival keeps a single range and every
/// check is a binary search. Not thread-safe: one actor owns it.
/// </remarks>
public sealed class TensorAssembly
{
    // Disjoint, sorted, and merged with neighbours they touch.
    private readonly List<(int Offset, int End)> _received = [];

    /// <summary>An assembly expecting a tensor of <paramref name="totalLength"/> floats.</summary>
    /// <param name="totalLength">Floats in the tensor.</param>
    public TensorAssembly(int totalLength)
    {
        Reset(totalLength);
    }

    /// <summary>Floats in the tensor being assembled.</summary>
    public int TotalLength { get; private set; }

    /// <summary>Elements received so far.</summary>
    public int ReceivedCount { get; private set; }

    /// <summary>Whether every element has arrived.</summary>
    public bool IsComplete => ReceivedCount == TotalLength;

    /// <summary>
    /// Copies <paramref name="slice"/>'s values to their place in <paramref name="destination"/> when
    /// the slice belongs to this tensor and overlaps nothing received; an empty slice is accepted and
    /// changes nothing. The slice stays the caller's to release.
    /// </summary>
    /// <param name="slice">A received slice.</param>
    /// <param name="destination">The tensor's buffer, at least <see cref="TotalLength"/> long.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the tensor.</exception>
    public AssemblyOutcome Add(in TensorSlice slice, Span<float> destination)
    {
        if (destination.Length < TotalLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; the tensor has {TotalLength}.", nameof(destination));
        }

        bool fits = slice.TotalLength == TotalLength
            && slice.Offset >= 0
            && slice.Count >= 0
            && slice.Offset <= TotalLength - slice.Count
            && slice.Data is not null
            && slice.Start >= 0
            && slice.Data.Length - slice.Start >= slice.Count;
        if (!fits)
        {
            return AssemblyOutcome.OutOfRange;
        }

        if (slice.Count == 0)
        {
            return AssemblyOutcome.Accepted;
        }

        int end = slice.Offset + slice.Count;
        int after = FirstStartingAtOrAfter(end);
        if (after > 0 && _received[after - 1].End > slice.Offset)
        {
            // The last range starting before this slice's end has the largest end of all those
            // (they are disjoint and sorted): if it does not reach into the slice, none does.
            return AssemblyOutcome.Duplicate;
        }

        slice.Values.CopyTo(destination[slice.Offset..]);
        Record(after, slice.Offset, end);
        ReceivedCount += slice.Count;
        return AssemblyOutcome.Accepted;
    }

    /// <summary>Forgets what arrived and expects a tensor of <paramref name="totalLength"/> floats.</summary>
    /// <param name="totalLength">Floats in the next tensor.</param>
    public void Reset(int totalLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        TotalLength = totalLength;
        ReceivedCount = 0;
        _received.Clear();
    }

    // Index of the first received range that starts at or after `position`.
    private int FirstStartingAtOrAfter(int position)
    {
        ReadOnlySpan<(int Offset, int End)> ranges = CollectionsMarshal.AsSpan(_received);
        int low = 0;
        int high = ranges.Length;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (ranges[mid].Offset < position)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    // Inserts [offset, end) before index `at`, merged with the neighbours it touches.
    private void Record(int at, int offset, int end)
    {
        bool joinsLeft = at > 0 && _received[at - 1].End == offset;
        bool joinsRight = at < _received.Count && _received[at].Offset == end;
        if (joinsLeft && joinsRight)
        {
            _received[at - 1] = (_received[at - 1].Offset, _received[at].End);
            _received.RemoveAt(at);
        }
        else if (joinsLeft)
        {
            _received[at - 1] = (_received[at - 1].Offset, end);
        }
        else if (joinsRight)
        {
            _received[at] = (offset, _received[at].End);
        }
        else
        {
            _received.Insert(at, (offset, end));
        }
    }
}
