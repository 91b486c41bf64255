using System.Runtime.Intrinsics;

namespace Backprop.Numerics;

/// <summary>Resolves <see cref="SimdPath"/> against what this CPU accelerates.</summary>
public static class SimdPaths
{
    /// <summary>The widest path this CPU accelerates.</summary>
    public static SimdPath Best =>
        Vector512.IsHardwareAccelerated ? SimdPath.Vector512
        : Vector256.IsHardwareAccelerated ? SimdPath.Vector256
        : Vector128.IsHardwareAccelerated ? SimdPath.Vector128
        : SimdPath.Scalar;

    /// <summary>Whether <paramref name="path"/> runs accelerated (or at all, for <see cref="SimdPath.Scalar"/>) on this CPU.</summary>
    public static bool IsSupported(SimdPath path) => path switch
    {
        SimdPath.Auto or SimdPath.Scalar => true,
        SimdPath.Vector512 => Vector512.IsHardwareAccelerated,
        SimdPath.Vector256 => Vector256.IsHardwareAccelerated,
        SimdPath.Vector128 => Vector128.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>
    /// <paramref name="path"/> with <see cref="SimdPath.Auto"/> replaced by <see cref="Best"/>.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The CPU does not accelerate the requested width.</exception>
    public static SimdPath Resolve(SimdPath path)
    {
        if (path == SimdPath.Auto)
        {
            return Best;
        }

        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"This CPU does not accelerate the {path} path (best available: {Best}).");
        }

        return path;
    }
}
