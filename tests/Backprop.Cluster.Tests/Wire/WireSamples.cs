using System.Text;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Sharding;
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
        yield return new ParameterServerProtocol.Weights("job-1", 13, 3, 41, 0, 2, RandomSlice(seed: 13, totalLength: 235_146, offset: 0, count: 30_000) with { Encoding = TensorEncoding.Bf16 });
        yield return new ParameterServerProtocol.Weights("job-1", 13, 3, 41, 1, 2, RandomSlice(seed: 14, totalLength: 235_146, offset: 30_000, count: 30_000) with { Encoding = TensorEncoding.Fp16 });
        yield return new ParameterServerProtocol.Gradient("job-1", 13, 1, 64, 140.5, 50, SparseSlice(seed: 15, totalLength: 3_716_106, offset: 0, count: 3_716_106, kept: 37_162));
        yield return new ShardProtocol.ShardOffer("job-big", BigConfigText(), 3, 4, [.. Enumerable.Range(1, 300).Select(i => i * 17)], 60_000, 1L << 40, 12, 59_999, 1L << 40, ExchangeSettings.Default, 128_000, long.MaxValue);
        yield return new ShardProtocol.ShardTensor("job-1", 4_685, 1, RandomSlice(seed: 16, totalLength: 235_146, offset: 58_787, count: 30_000));
        yield return new ShardProtocol.ShardWorkers("job-1", [.. Enumerable.Range(0, 64).Select(i => $"worker-{i}")], [.. Enumerable.Range(0, 64).Select(i => $"akka.tcp://backprop@10.0.{i / 8}.{i % 8}:4053/user/worker")]);
        yield return new ShardProtocol.ShardStepWorkers("job-1", 1L << 40, [.. Enumerable.Range(0, 64).Select(i => $"akka.tcp://backprop@10.0.{i / 8}.{i % 8}:4053#{i:x8}")]);
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
        yield return new WorkerProtocol.JobOffer("job-2", "backprop { }", "10.0.0.1", 4054, new ExchangeSettings { BucketBytes = 1 << 20, Compression = WireCompression.TopK, TopKRatio = 0.05, BackupWorkers = 1 });
        yield return new WorkerProtocol.Refused("wire version 2, this coordinator speaks 1");
        yield return new WorkerProtocol.JobFinished("job-1", true);
        yield return new WorkerProtocol.JobFinished("job-2", false);
        yield return new ParameterServerProtocol.Weights("job-1", 0, 0, 0, 0, 1, RandomSlice(seed: 1, totalLength: 63, offset: 0, count: 63));
        yield return new ParameterServerProtocol.Weights("job-1", long.MaxValue, int.MaxValue, 7, 3, 4, RandomSlice(seed: 2, totalLength: 1_000, offset: 937, count: 63));
        yield return new ParameterServerProtocol.Weights("job-1", 5, 0, 1, 0, 1, RandomSlice(seed: 3, totalLength: 500, offset: 500, count: 0));
        yield return new ParameterServerProtocol.Gradient("job-1", 41, 2, 32, 17.625, 29, RandomSlice(seed: 4, totalLength: 70_000, offset: 65_536, count: 80));
        yield return new ParameterServerProtocol.Gradient("job-1", -1, 0, 0, double.NaN, -5, SpecialSlice());
        yield return new ParameterServerProtocol.Weights("job-1", 6, 0, 2, 1, 2, RandomSlice(seed: 5, totalLength: 1_000, offset: 100, count: 40) with { Encoding = TensorEncoding.Bf16 });
        yield return new ParameterServerProtocol.Weights("job-1", 6, 0, 2, 0, 2, RandomSlice(seed: 6, totalLength: 1_000, offset: 140, count: 33) with { Encoding = TensorEncoding.Fp16 });
        yield return new ParameterServerProtocol.Gradient("job-1", 7, 1, 32, 9.5, 20, SpecialSlice() with { Encoding = TensorEncoding.Bf16 });
        yield return new ParameterServerProtocol.Gradient("job-1", 7, 0, 32, 9.5, 20, SpecialSlice() with { Encoding = TensorEncoding.Fp16 });
        yield return new ParameterServerProtocol.Gradient("job-1", 8, 0, 32, 9.25, 21, SparseSlice(seed: 7, totalLength: 5_000, offset: 1_000, count: 300, kept: 9));
        yield return new ParameterServerProtocol.Gradient("job-1", 8, 1, 32, 9.25, 21, SparseSlice(seed: 8, totalLength: 5_000, offset: 4_999, count: 1, kept: 1));
        yield return new ParameterServerProtocol.Gradient("job-1", 8, 1, 32, 9.25, 21, RandomSlice(seed: 9, totalLength: 5_000, offset: 5_000, count: 0) with { Encoding = TensorEncoding.Sparse });
        yield return new WorkerProtocol.JobOffer("job-3", "backprop { }", "10.0.0.1", 4054, new ExchangeSettings { BucketBytes = 65_536, Compression = WireCompression.Bf16, Servers = 3 });
        yield return new WorkerProtocol.JobOffer("job-4", "backprop { }", "10.0.0.1", 4054, new ExchangeSettings { Servers = 3 }, "10.0.0.2:40001,server-2:40002");
        yield return new ShardProtocol.RegisterServer("akka.tcp://backprop@10.0.0.9:4055#5e6f7a8b", WireVersion.Current, "0.9.0+3f2a9c1");
        yield return new ShardProtocol.RegisterServer("sérveur-日本-🙂", -1, string.Empty);
        yield return new ShardProtocol.ShardOffer(
            "job-1", "backprop { optimizer = adam }", 1, 3, [784, 128, 64, 10], 937, 4_685, 5, 0, 4_686,
            new ExchangeSettings { BucketBytes = 1 << 20, Compression = WireCompression.TopK, TopKRatio = 0.05, Servers = 3 }, 128_000, 30_000, Lane: true);
        yield return new ShardProtocol.ShardOffer(string.Empty, string.Empty, 0, 1, [], 0, long.MaxValue, int.MaxValue, -1, long.MinValue, ExchangeSettings.Default, 0, -1);
        yield return new ShardProtocol.ShardTensor("job-1", 4_685, 0, RandomSlice(seed: 17, totalLength: 109_386, offset: 36_462, count: 40));
        yield return new ShardProtocol.ShardTensor("job-1", 4_685, 2, RandomSlice(seed: 18, totalLength: 109_386, offset: 72_924, count: 31) with { Encoding = TensorEncoding.Bf16 });
        yield return new ShardProtocol.ShardTensor("job-1", 0, 1, RandomSlice(seed: 19, totalLength: 500, offset: 500, count: 0));
        yield return new ShardProtocol.ShardReady("job-1", 2);
        yield return new ShardProtocol.ShardReady("job-1", 1, "10.77.0.2", 40_123);
        yield return new ShardProtocol.ShardLaneChanged("job-1", 1, "akka.tcp://backprop@10.0.0.7:4053#1a2b3c4d", true, string.Empty);
        yield return new ShardProtocol.ShardLaneChanged("job-1", 3, "w", false, "connection reset by peer");
        yield return new ShardProtocol.ShardReady(string.Empty, int.MaxValue);
        yield return new ShardProtocol.ShardWorkers("job-1", ["worker-a", "worker-b", "wörker-ß"], ["akka.tcp://backprop@10.0.0.7:4053/user/worker", "akka.tcp://backprop@10.0.0.8:4053/user/worker", "akka://backprop/user/worker"]);
        yield return new ShardProtocol.ShardWorkers("job-1", [], []);
        yield return new ShardProtocol.ShardStepWorkers("job-1", 4_685, ["worker-b", "wörker-ß", "worker-a"]);
        yield return new ShardProtocol.ShardStepWorkers(string.Empty, 0, []);
        yield return new ShardProtocol.ShardControl("job-1", ShardProtocol.ShardCommand.Proceed);
        yield return new ShardProtocol.ShardControl("job-1", ShardProtocol.ShardCommand.Halt);
        yield return new ShardProtocol.ShardControl("job-1", ShardProtocol.ShardCommand.Finished);
        yield return new ShardProtocol.ShardControl(string.Empty, ShardProtocol.ShardCommand.Ended);
        yield return new ShardProtocol.ShardSnapshot("job-1", 2, 4_685, true, false, 4_685, 123_456_789, 98_765);
        yield return new ShardProtocol.ShardSnapshot("job-1", 1, long.MaxValue, false, true, long.MinValue);
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

    /// <summary>
    /// A pooled dense slice as a top-k sender makes it: <paramref name="kept"/> random positions (sorted)
    /// hold random non-zero values, every other value is zero, and the slice is marked sparse.
    /// </summary>
    public static TensorSlice SparseSlice(int seed, int totalLength, int offset, int count, int kept)
    {
        var random = new Random(seed);
        int[] indices = [.. Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(kept).Order()];
        var values = new float[count];
        foreach (int i in indices)
        {
            values[i] = (float)((random.NextDouble() - 0.5) * 4);
        }

        return TensorSlice.Copy(totalLength, offset, values) with { Encoding = TensorEncoding.Sparse, Indices = indices };
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
