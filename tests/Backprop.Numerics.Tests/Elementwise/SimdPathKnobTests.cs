using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace Backprop.Numerics.Tests.Elementwise;

/// <summary>
/// The suite is run once per SIMD width by switching ISAs off with DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and
/// DOTNET_EnableHWIntrinsic=0; this proves each such run really exercised the narrower path it was meant to.
/// </summary>
public class SimdPathKnobTests(ITestOutputHelper output)
{
    [Fact]
    public void Disabled_instruction_sets_should_turn_off_the_matching_vector_widths()
    {
        output.WriteLine($"Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, " +
            $"Vector128 {Vector128.IsHardwareAccelerated}: kernels run on {SimdPaths.Best}.");
        if (IsOff("DOTNET_EnableAVX512") || IsOff("DOTNET_EnableAVX512F"))
        {
            Assert.False(Vector512.IsHardwareAccelerated);
        }

        if (IsOff("DOTNET_EnableAVX2"))
        {
            Assert.False(Vector256.IsHardwareAccelerated);
            Assert.False(Vector512.IsHardwareAccelerated);
        }

        if (IsOff("DOTNET_EnableHWIntrinsic"))
        {
            Assert.False(Vector128.IsHardwareAccelerated);
            Assert.Equal(SimdPath.Scalar, SimdPaths.Best);
        }
    }

    private static bool IsOff(string variable) => Environment.GetEnvironmentVariable(variable) == "0";
}
