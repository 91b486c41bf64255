using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Backprop.Numerics.Elementwise;

/// <summary>
/// Argument validation shared by every public kernel: run once at the entry so the loops stay small.
/// The throwing parts live in separate non-inlined methods to keep the checks cheap to inline.
/// </summary>
internal static class SpanChecks
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SameLength(int expected, string expectedName, int actual, string actualName)
    {
        if (actual != expected)
        {
            ThrowLengthMismatch(expected, expectedName, actual, actualName);
        }
    }

    /// <summary>Throws unless <paramref name="length"/> is exactly <paramref name="rows"/> · <paramref name="cols"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MatrixLength(int rows, int cols, int length, string name)
    {
        if ((long)rows * cols != length)
        {
            ThrowMatrixLength(rows, cols, length, name);
        }
    }

    /// <summary>Throws when a matrix dimension is negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dimensions(int rows, string rowsName, int cols, string colsName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows, rowsName);
        ArgumentOutOfRangeException.ThrowIfNegative(cols, colsName);
    }

    /// <summary>
    /// Throws when <paramref name="input"/> and <paramref name="output"/> share memory, except when they are
    /// exactly the same span (same start, same length): element-wise kernels read each element before writing it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoPartialOverlap(ReadOnlySpan<float> input, string inputName, ReadOnlySpan<float> output, string outputName)
    {
        if (input.Overlaps(output, out int offset) && (offset != 0 || input.Length != output.Length))
        {
            ThrowPartialOverlap(inputName, outputName);
        }
    }

    /// <summary>Throws when the two spans share any memory at all, exact aliasing included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoOverlap(ReadOnlySpan<float> first, string firstName, ReadOnlySpan<float> second, string secondName)
    {
        if (first.Overlaps(second))
        {
            ThrowOverlap(firstName, secondName);
        }
    }

    /// <summary>
    /// Throws when two spans of possibly different element types share any byte: a conversion between
    /// widths reads and writes at different strides, so even exact aliasing would overwrite unread input.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NoByteOverlap(ReadOnlySpan<byte> first, string firstName, ReadOnlySpan<byte> second, string secondName)
    {
        if (first.Overlaps(second))
        {
            ThrowOverlap(firstName, secondName);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative (NaN is rejected too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NonNegative(float value, string name)
    {
        if (!(value >= 0f) || float.IsPositiveInfinity(value))
        {
            ThrowNotNonNegative(value, name);
        }
    }

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            ThrowNotInUnitInterval(value, name);
        }
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int expected, string expectedName, int actual, string actualName) =>
        throw new ArgumentException(
            $"{actualName} has length {actual} but must have the length of {expectedName} ({expected}).", actualName);

    [DoesNotReturn]
    private static void ThrowMatrixLength(int rows, int cols, int length, string name) =>
        throw new ArgumentException(
            $"{name} has length {length} but a {rows}×{cols} row-major matrix needs {(long)rows * cols}.", name);

    [DoesNotReturn]
    private static void ThrowPartialOverlap(string inputName, string outputName) =>
        throw new ArgumentException(
            $"{outputName} partially overlaps {inputName}; it must either be exactly the same span or not overlap it at all.",
            outputName);

    [DoesNotReturn]
    private static void ThrowOverlap(string firstName, string secondName) =>
        throw new ArgumentException($"{secondName} overlaps {firstName}; they must be separate buffers.", secondName);

    [DoesNotReturn]
    private static void ThrowNotNonNegative(float value, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");

    [DoesNotReturn]
    private static void ThrowNotInUnitInterval(double value, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");
}
