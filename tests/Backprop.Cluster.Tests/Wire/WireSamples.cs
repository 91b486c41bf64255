using System.Text;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Tests.Wire;

/// <summary>Messages of every wire type, with edge values; slices hold random non-zero values from fixed seeds.</summary>
internal static class WireSamples
{
    /// <summary>Every sample: long strings, 30,000-float slices, edge values. Slices are fresh pooled copies.</summary>
    public static IEnumerable<IWireMessage> All()
    {
        foreach (var message in Small())
        {
            yield return message;
        }

        yield return new WorkerProtocol.JobOffer("job-big", BigConfigText());
        yield return new ParameterServerProtocol.Weights("job-1", 12, 3, 40, 1, 2, RandomSlice(seed: 11, totalLength: 235_146, offset: 30_000, count: 30_000));
        yield return new ParameterServerProtocol.Gradient("job-1", 12, 1, 64, 147.25, 51, RandomSlice(seed: 12, totalLength: 235_146, offset: 210_000, count: 25_146));
    }

    /// <summary>Samples of every type under about 400 bytes serialized, for the byte-by-byte malformation tests.</summary>
    public static IEnumerable<IWireMessage> Small()
    {
        yield return new CoordinatorProtocol.RegisterWorker("akka.tcp://backprop@10.0.0.7:4053#1a2b3c4d", WireVersion.Current, "1.0.0+3f2a9c1", 16);
        yield return new CoordinatorProtocol.RegisterWorker("wörker-ß-日本-🙂", -1, string.Empty, int.MaxValue);
        yield return new CoordinatorProtocol.WorkerReady("job-1", 0x9E37_79B9_7F4A_7C15, 60_000);
        yield return new CoordinatorProtocol.WorkerReady(string.Empty, ulong.MaxValue, 0);
        yield return new CoordinatorProtocol.WorkerFailed("job-1", "data file missing: /data/train-images-idx3-ubyte");
        yield return new WorkerProtocol.JobOffer("job-1", "backprop { model { layers = [ { units = 32 } ] } }");
        yield return new WorkerProtocol.Refused("wire version 2, this coordinator speaks 1");
        yield return new WorkerProtocol.JobFinished("job-1", true);
        yield return new WorkerProtocol.JobFinished("job-2", false);
        yield return new ParameterServerProtocol.Weights("job-1", 0, 0, 0, 0, 1, RandomSlice(seed: 1, totalLength: 63, offset: 0, count: 63));
        yield return new ParameterServerProtocol.Weights("job-1", long.MaxValue, int.MaxValue, 7, 3, 4, RandomSlice(seed: 2, totalLength: 1_000, offset: 937, count: 63));
        yield return new ParameterServerProtocol.Weights("job-1", 5, 0, 1, 0, 1, RandomSlice(seed: 3, totalLength: 500, offset: 500, count: 0));
        yield return new ParameterServerProtocol.Gradient("job-1", 41, 2, 32, 17.625, 29, RandomSlice(seed: 4, totalLength: 70_000, offset: 65_536, count: 80));
        yield return new ParameterServerProtocol.Gradient("job-1", -1, 0, 0, double.NaN, -5, SpecialSlice());
    }

    /// <summary>A pooled slice of random non-zero values in (-2, 2); its array is longer than <paramref name="count"/>.</summary>
    public static TensorSlice RandomSlice(int seed, int totalLength, int offset, int count)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            float magnitude = (float)(0.001 + (random.NextDouble() * 1.999));
            values[i] = random.Next(2) == 0 ? magnitude : -magnitude;
        }

        return TensorSlice.Copy(totalLength, offset, values);
    }

    /// <summary>Values whose bits must survive exactly: signed zero, subnormal, extremes, NaN payloads, infinities.</summary>
    public static TensorSlice SpecialSlice()
    {
        float[] values =
        [
            -0.0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity,
            float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC0_0001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC1_2345)), 1e-40f,
        ];
        return TensorSlice.Copy(20, 5, values);
    }

    // Over 65,535 UTF-8 bytes, so the string takes a str32 header, with multi-byte characters.
    private static string BigConfigText()
    {
        var text = new StringBuilder();
        for (int i = 0; text.Length < 70_000; i++)
        {
            text.Append("backprop.model.layers.").Append(i).Append(".units = 32 # größe\n");
        }

        return text.ToString();
    }
}
