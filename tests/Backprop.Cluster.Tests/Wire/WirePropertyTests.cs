using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Settings;
using Backprop.Cluster.Sharding;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Wire.Contracts;
using Backprop.Cluster.Worker;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Cluster.Tests.Wire;

/// <summary>
/// Property-based round trips: any valid message of any wire type, written and read back through the
/// serializer with its manifest as Akka calls it, is the same message, field by field and float bit by bit
/// (for a compressed slice: bit by bit what its encoding keeps, see <see cref="WireAssert.Kept"/>).
/// </summary>
public sealed class WirePropertyTests : TestKit
{
    // A fixed start so that CI runs the same cases each time; FsCheck prints the replay on a failure.
    private const string Replay = "(20240611,20240613)";

    private readonly BackpropSerializer _serializer;

    public WirePropertyTests()
        : base(SerializationConfig.Hocon)
    {
        _serializer = new BackpropSerializer((ExtendedActorSystem)Sys);
    }

    [Fact]
    public void Generators_should_cover_every_message_type_in_the_contract_table()
    {
        // A new contract row without a generator would otherwise go untested here without notice.
        var generated = WireGen.ByType.Keys.ToHashSet();
        Assert.All(WireContracts.All, row => Assert.Contains(row.MessageType, generated));
    }

    [Property(MaxTest = 300, Replay = Replay)]
    public Property Any_message_should_round_trip_through_the_serializer() =>
        Prop.ForAll(WireGen.Message.ToArbitrary(), RoundTrip);

    [Property(MaxTest = 200, Replay = Replay)]
    public Property Any_weights_should_round_trip_through_the_serializer() =>
        Prop.ForAll(WireGen.ByType[typeof(ParameterServerProtocol.Weights)].ToArbitrary(), RoundTrip);

    [Property(MaxTest = 200, Replay = Replay)]
    public Property Any_gradient_should_round_trip_through_the_serializer() =>
        Prop.ForAll(WireGen.ByType[typeof(ParameterServerProtocol.Gradient)].ToArbitrary(), RoundTrip);

    [Property(MaxTest = 100, Replay = Replay)]
    public Property Any_shard_tensor_should_round_trip_through_the_serializer() =>
        Prop.ForAll(WireGen.ByType[typeof(ShardProtocol.ShardTensor)].ToArbitrary(), RoundTrip);

    private void RoundTrip(IWireMessage message)
    {
        byte[] bytes = _serializer.ToBinary(message);
        object back = _serializer.FromBinary(bytes, _serializer.Manifest(message));
        try
        {
            WireAssert.Equal(message, back);

            // Record equality treats 0.0 and -0.0 as equal; the loss must keep its exact bits.
            if (message is ParameterServerProtocol.Gradient gradient)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(gradient.LossSum), BitConverter.DoubleToInt64Bits(((ParameterServerProtocol.Gradient)back).LossSum));
            }
        }
        finally
        {
            // The sent slices are unpooled test arrays; only the received one goes back to the pool.
            WireAssert.Release(back);
        }
    }
}

/// <summary>FsCheck generators of arbitrary valid wire messages, one per contract.</summary>
internal static class WireGen
{
    /// <summary>Any 32-bit integer, biased to small values and the edges.</summary>
    public static readonly Gen<int> Int32 = Gen.Frequency(
        (3, Gen.Choose(-1_000, 1_000)),
        (1, Gen.Elements(int.MinValue, int.MaxValue, 0, -1, 127, 128, 255, 256, 65_535, 65_536)),
        (2, Gen.Choose(int.MinValue, int.MaxValue)));

    /// <summary>Any 64-bit integer: two random halves, or an edge.</summary>
    public static readonly Gen<long> Int64 = Gen.Frequency(
        (3, Gen.Zip(Int32, Int32, (high, low) => ((long)high << 32) | (uint)low)),
        (1, Int32.Select(i => (long)i)),
        (1, Gen.Elements(long.MinValue, long.MaxValue, 0L, -1L, (long)uint.MaxValue + 1)));

    /// <summary>Any double bit pattern (NaN payloads, infinities, subnormals, -0.0 included).</summary>
    public static readonly Gen<double> Double = Gen.Frequency(
        (3, Int64.Select(BitConverter.Int64BitsToDouble)),
        (1, Gen.Elements(0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue, 17.625)));

    /// <summary>Strings of ASCII, multi-byte and astral characters; never lone surrogates, which the sender refuses.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
            (4, Gen.Elements("a", "Z", "0", "-", " ", "\n", "\0", "ß", "é", "日", "本", "🙂", "\u200B")),
            (1, Gen.Choose(0, 0x10FFFF).Where(c => c is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32)))
        .ListOf()
        .Select(parts => string.Concat(parts));

    /// <summary>
    /// Weights and gradients carry slices of any valid range in any encoding; values are any float bits,
    /// a sparse slice keeps any valid set of positions.
    /// </summary>
    public static readonly Gen<TensorSlice> Slice = Gen.Frequency(
        (3, Gen.Choose(0, 2_000).SelectMany(total => SliceWithin(total))),
        (1, Gen.Elements(0, 1, WireSizes.MaxTensorLength - 1, WireSizes.MaxTensorLength).SelectMany(total => SliceWithin(total))),
        (1, Gen.Choose(1, 500).SelectMany(total => Borrowed(total))),
        (3, Gen.Choose(0, 2_000).SelectMany(total => Gen.OneOf(SliceWithin(total), Borrowed(Math.Max(1, total)))).SelectMany(Encoded)));

    /// <summary>Exchange settings of any field values: the wire carries them as they are, valid or not.</summary>
    public static readonly Gen<ExchangeSettings> Exchange =
        from bucketBytes in Int32
        from compression in Gen.Elements(WireCompression.None, WireCompression.Bf16, WireCompression.Fp16, WireCompression.TopK)
        from topKRatio in Double
        from backupWorkers in Int32
        from staleness in Int32
        from servers in Gen.Frequency((2, Gen.Constant(1)), (1, Gen.Choose(2, 64)), (1, Int32))
        select new ExchangeSettings
        {
            BucketBytes = bucketBytes,
            Compression = compression,
            TopKRatio = topKRatio,
            BackupWorkers = backupWorkers,
            Staleness = staleness,
            Servers = servers,
        };

    /// <summary>One generator per message type.</summary>
    public static readonly IReadOnlyDictionary<Type, Gen<IWireMessage>> ByType = new Dictionary<Type, Gen<IWireMessage>>
    {
        [typeof(CoordinatorProtocol.RegisterWorker)] =
            from workerId in Text
            from wireVersion in Int32
            from build in Text
            from threads in Int32
            select (IWireMessage)new CoordinatorProtocol.RegisterWorker(workerId, wireVersion, build, threads),
        [typeof(CoordinatorProtocol.WorkerReady)] =
            from jobId in Text
            from fingerprint in Int64
            from samples in Int32
            select (IWireMessage)new CoordinatorProtocol.WorkerReady(jobId, unchecked((ulong)fingerprint), samples),
        [typeof(CoordinatorProtocol.WorkerFailed)] =
            from jobId in Text
            from reason in Text
            select (IWireMessage)new CoordinatorProtocol.WorkerFailed(jobId, reason),
        [typeof(WorkerProtocol.JobOffer)] =
            from jobId in Text
            from config in Text
            from host in Text
            from port in Int32
            from exchange in Gen.Frequency((1, Gen.Constant<ExchangeSettings?>(null)), (3, Exchange.Select(e => e == ExchangeSettings.Default ? null : (ExchangeSettings?)e)))
            from shardLanes in Text
            select (IWireMessage)new WorkerProtocol.JobOffer(jobId, config, host, port, exchange, shardLanes),
        [typeof(WorkerProtocol.Refused)] =
            Text.Select(reason => (IWireMessage)new WorkerProtocol.Refused(reason)),
        [typeof(WorkerProtocol.JobFinished)] =
            from jobId in Text
            from completed in Gen.Elements(true, false)
            select (IWireMessage)new WorkerProtocol.JobFinished(jobId, completed),
        [typeof(ParameterServerProtocol.Weights)] =
            from jobId in Text
            from version in Int64
            from epoch in Int32
            from batch in Int32
            from rank in Int32
            from world in Int32
            from slice in Slice
            select (IWireMessage)new ParameterServerProtocol.Weights(jobId, version, epoch, batch, rank, world, slice),
        [typeof(ParameterServerProtocol.Gradient)] =
            from jobId in Text
            from version in Int64
            from rank in Int32
            from samples in Int32
            from loss in Double
            from correct in Int32
            from slice in Slice
            from micros in Int64
            select (IWireMessage)new ParameterServerProtocol.Gradient(jobId, version, rank, samples, loss, correct, slice, micros),
        [typeof(ShardProtocol.RegisterServer)] =
            from serverId in Text
            from wireVersion in Int32
            from build in Text
            select (IWireMessage)new ShardProtocol.RegisterServer(serverId, wireVersion, build),
        [typeof(ShardProtocol.ShardOffer)] =
            from jobId in Text
            from config in Text
            from shard in Int32
            from shards in Int32
            from widths in Int32.ArrayOf()
            from batchesPerEpoch in Int32
            from step in Int64
            from epoch in Int32
            from batch in Int32
            from optimizerSteps in Int64
            from exchange in Exchange
            from sliceBytes in Int32
            from timeout in Int64
            from lane in Gen.Elements(true, false)
            select (IWireMessage)new ShardProtocol.ShardOffer(jobId, config, shard, shards, widths, batchesPerEpoch, step, epoch, batch, optimizerSteps, exchange, sliceBytes, timeout, lane),
        [typeof(ShardProtocol.ShardTensor)] =
            from jobId in Text
            from step in Int64
            from buffer in Int32
            from slice in Slice
            select (IWireMessage)new ShardProtocol.ShardTensor(jobId, step, buffer, slice),
        [typeof(ShardProtocol.ShardReady)] =
            from jobId in Text
            from shard in Int32
            from laneHost in Text
            from lanePort in Int32
            select (IWireMessage)new ShardProtocol.ShardReady(jobId, shard, laneHost, lanePort),
        [typeof(ShardProtocol.ShardWorkers)] =
            from jobId in Text
            from count in Gen.Frequency((3, Gen.Choose(0, 8)), (1, Gen.Choose(9, 200)))
            from ids in Text.ArrayOf(count)
            from paths in Text.ArrayOf(count)
            select (IWireMessage)new ShardProtocol.ShardWorkers(jobId, ids, paths),
        [typeof(ShardProtocol.ShardStepWorkers)] =
            from jobId in Text
            from step in Int64
            from count in Gen.Frequency((3, Gen.Choose(0, 8)), (1, Gen.Choose(9, 200)))
            from ids in Text.ArrayOf(count)
            select (IWireMessage)new ShardProtocol.ShardStepWorkers(jobId, step, ids),
        [typeof(ShardProtocol.ShardControl)] =
            from jobId in Text
            from command in Gen.Elements(Enum.GetValues<ShardProtocol.ShardCommand>())
            select (IWireMessage)new ShardProtocol.ShardControl(jobId, command),
        [typeof(ShardProtocol.ShardSnapshot)] =
            from jobId in Text
            from shard in Int32
            from step in Int64
            from epochEnd in Gen.Elements(true, false)
            from halted in Gen.Elements(true, false)
            from optimizerSteps in Int64
            from bytesDown in Int64
            from bytesUp in Int64
            select (IWireMessage)new ShardProtocol.ShardSnapshot(jobId, shard, step, epochEnd, halted, optimizerSteps, bytesDown, bytesUp),
        [typeof(ShardProtocol.ShardLaneChanged)] =
            from jobId in Text
            from shard in Int32
            from workerId in Text
            from connected in Gen.Elements(true, false)
            from reason in Text
            select (IWireMessage)new ShardProtocol.ShardLaneChanged(jobId, shard, workerId, connected, reason),
    };

    /// <summary>A message of any wire type.</summary>
    public static readonly Gen<IWireMessage> Message = Gen.OneOf(ByType.Values);

    private static readonly Gen<float> FloatBits = Gen.Frequency(
        (4, Int32.Select(BitConverter.Int32BitsToSingle)),
        (1, Gen.Elements(-0.0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue)));

    // An unpooled array, sometimes longer than Count as a pooled one is: only the first Count values travel.
    private static Gen<TensorSlice> SliceWithin(int total) =>
        from count in Gen.Choose(0, Math.Min(total, 1_000))
        from offset in Gen.Choose(0, total - count)
        from values in FloatBits.ArrayOf(count)
        from spare in Gen.Choose(0, 3)
        select new TensorSlice(total, offset, count, [.. values, .. new float[spare]], Start: 0, Pooled: false);

    // The same slice marked with any encoding; a sparse one with sorted distinct positions, as many as
    // the receiver's density bound asks for or more.
    private static Gen<TensorSlice> Encoded(TensorSlice slice) =>
        from encoding in Gen.Elements(TensorEncoding.Fp32, TensorEncoding.Bf16, TensorEncoding.Fp16, TensorEncoding.Sparse)
        from kept in Gen.Choose((slice.Count + WireSizes.MaxSparseSpread - 1) / WireSizes.MaxSparseSpread, slice.Count)
        from seed in Gen.Choose(0, int.MaxValue)
        select encoding == TensorEncoding.Sparse
            ? slice with { Encoding = encoding, Indices = Positions(slice.Count, kept, seed) }
            : slice with { Encoding = encoding };

    private static int[] Positions(int count, int kept, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(kept).Order()];
    }

    // A view into a whole buffer, as the server sends its weights: Start is the offset, not 0.
    private static Gen<TensorSlice> Borrowed(int total) =>
        from buffer in FloatBits.ArrayOf(total)
        from count in Gen.Choose(0, total)
        from offset in Gen.Choose(0, total - count)
        select TensorSlice.Borrow(buffer, offset, count);
}
