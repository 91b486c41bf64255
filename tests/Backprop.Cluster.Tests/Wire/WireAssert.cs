using System.Runtime.InteropServices;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Tests.Wire;

/// <summary>Compares wire messages field by field, slices by their bits, and returns received slices to the pool.</summary>
internal static class WireAssert
{
    /// <summary>Asserts <paramref name="actual"/> is <paramref name="expected"/> read back: same type, fields, and float bits.</summary>
    public static void Equal(IWireMessage expected, object actual)
    {
        Assert.IsType(expected.GetType(), actual);
        switch (expected)
        {
            case ParameterServerProtocol.Weights weights:
                var actualWeights = (ParameterServerProtocol.Weights)actual;
                Assert.Equal(weights with { Slice = default }, actualWeights with { Slice = default });
                SliceEqual(weights.Slice, actualWeights.Slice);
                break;
            case ParameterServerProtocol.Gradient gradient:
                var actualGradient = (ParameterServerProtocol.Gradient)actual;
                Assert.Equal(gradient with { Slice = default }, actualGradient with { Slice = default });
                SliceEqual(gradient.Slice, actualGradient.Slice);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    /// <summary>Asserts equal ranges and bit-identical values, in a separate array.</summary>
    public static void SliceEqual(TensorSlice expected, TensorSlice actual)
    {
        Assert.Equal((expected.TotalLength, expected.Offset, expected.Count), (actual.TotalLength, actual.Offset, actual.Count));
        Assert.NotSame(expected.Data, actual.Data);
        Assert.True(actual.Data.Length >= actual.Count);
        Assert.True(
            MemoryMarshal.AsBytes(expected.Values).SequenceEqual(MemoryMarshal.AsBytes(actual.Values)),
            "the slice's float bits differ");
    }

    /// <summary>Returns the pooled array of a received tensor message, as its receiver would.</summary>
    public static void Release(object message)
    {
        switch (message)
        {
            case ParameterServerProtocol.Weights weights:
                weights.Slice.Release();
                break;
            case ParameterServerProtocol.Gradient gradient:
                gradient.Slice.Release();
                break;
        }
    }
}
