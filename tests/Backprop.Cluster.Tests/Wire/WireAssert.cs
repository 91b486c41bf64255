using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Sharding;
using Backprop.Cluster.Wire;
using Backprop.Numerics.Conversion;

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
            case ShardProtocol.ShardTensor tensor:
                var actualTensor = (ShardProtocol.ShardTensor)actual;
                Assert.Equal(tensor with { Slice = default }, actualTensor with { Slice = default });
                SliceEqual(tensor.Slice, actualTensor.Slice);
                break;

            // Records compare lists by reference: the rest of the record with one shared empty list, the lists item by item.
            case ShardProtocol.ShardOffer offer:
                var actualOffer = (ShardProtocol.ShardOffer)actual;
                Assert.Equal(offer with { Widths = Array.Empty<int>() }, actualOffer with { Widths = Array.Empty<int>() });
                Assert.Equal(offer.Widths, actualOffer.Widths);
                break;
            case ShardProtocol.ShardWorkers workers:
                var actualWorkers = (ShardProtocol.ShardWorkers)actual;
                Assert.Equal(
                    workers with { WorkerIds = Array.Empty<string>(), WorkerPaths = Array.Empty<string>() },
                    actualWorkers with { WorkerIds = Array.Empty<string>(), WorkerPaths = Array.Empty<string>() });
                Assert.Equal(workers.WorkerIds, actualWorkers.WorkerIds);
                Assert.Equal(workers.WorkerPaths, actualWorkers.WorkerPaths);
                break;
            case ShardProtocol.ShardStepWorkers step:
                var actualStep = (ShardProtocol.ShardStepWorkers)actual;
                Assert.Equal(step with { WorkerIds = Array.Empty<string>() }, actualStep with { WorkerIds = Array.Empty<string>() });
                Assert.Equal(step.WorkerIds, actualStep.WorkerIds);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    /// <summary>
    /// Asserts equal ranges, and values in a separate float32 array bit-identical to what the sent slice's
    /// encoding keeps (<see cref="Kept"/>); a received slice never carries an encoding or indices.
    /// </summary>
    public static void SliceEqual(TensorSlice expected, TensorSlice actual)
    {
        Assert.Equal((expected.TotalLength, expected.Offset, expected.Count), (actual.TotalLength, actual.Offset, actual.Count));
        Assert.NotSame(expected.Data, actual.Data);
        Assert.True(actual.Data.Length >= actual.Count);
        Assert.Equal(TensorEncoding.Fp32, actual.Encoding);
        Assert.True(actual.Indices.IsEmpty, "a received slice carries no indices");
        float[] kept = Kept(expected);
        for (int i = 0; i < kept.Length; i++)
        {
            // float32 keeps every bit, NaN payloads included; a 16-bit format keeps NaN a NaN.
            bool same = BitConverter.SingleToUInt32Bits(kept[i]) == BitConverter.SingleToUInt32Bits(actual.Values[i])
                || (expected.Encoding != TensorEncoding.Fp32 && float.IsNaN(kept[i]) && float.IsNaN(actual.Values[i]));
            Assert.True(same, $"value {i} of a {expected.Encoding} slice: sent {kept[i]:R}, received {actual.Values[i]:R}");
        }
    }

    /// <summary>
    /// What a receiver must get for <paramref name="sent"/>: its values, each rounded by the scalar
    /// conversions for bf16 and fp16, and for sparse the values at its indices with zeros elsewhere.
    /// </summary>
    public static float[] Kept(TensorSlice sent)
    {
        float[] values = sent.Values.ToArray();
        switch (sent.Encoding)
        {
            case TensorEncoding.Bf16:
                return [.. values.Select(v => BFloat16Bits.ToSingle(BFloat16Bits.FromSingle(v)))];
            case TensorEncoding.Fp16:
                return [.. values.Select(v => (float)(Half)v)];
            case TensorEncoding.Sparse:
                var dense = new float[values.Length];
                foreach (int i in sent.Indices.Span)
                {
                    dense[i] = values[i];
                }

                return dense;
            default:
                return values;
        }
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
            case ShardProtocol.ShardTensor tensor:
                tensor.Slice.Release();
                break;
        }
    }
}
