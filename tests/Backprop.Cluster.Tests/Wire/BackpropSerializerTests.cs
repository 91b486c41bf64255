using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Wire.Contracts;
using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Tests.Wire;

public sealed class BackpropSerializerTests : TestKit
{
    public BackpropSerializerTests()
        : base(SerializationConfig.Hocon)
    {
    }

    public static TheoryData<string> Manifests() => [.. WireContracts.All.Select(c => c.Manifest)];

    [Fact]
    public void Serializer_should_be_picked_by_akka_for_every_wire_message_when_bound_by_the_snippet()
    {
        foreach (var message in WireSamples.All())
        {
            Assert.IsType<BackpropSerializer>(Sys.Serialization.FindSerializerFor(message));
        }
    }

    [Fact]
    public void Serializer_should_round_trip_every_message_through_akka_serialization()
    {
        foreach (var message in WireSamples.All())
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            byte[] bytes = serializer.ToBinary(message);
            string manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);

            object back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

            WireAssert.Equal(message, back);
            WireAssert.Release(back);
        }
    }

    [Fact]
    public void Serializer_should_use_its_constant_identifier_above_akkas_reserved_range()
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);

        Assert.Equal(BackpropSerializer.Id, serializer.Identifier);
        Assert.True(serializer.Identifier > 100);
        Assert.True(serializer.IncludeManifest);
    }

    [Fact]
    public void Serializer_should_give_each_message_type_its_fixed_manifest()
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);
        var manifests = WireSamples.All()
            .GroupBy(m => m.GetType())
            .ToDictionary(g => g.Key.Name, g => serializer.Manifest(g.First()));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["RegisterWorker"] = "reg",
                ["WorkerReady"] = "rdy",
                ["WorkerFailed"] = "wf",
                ["JobOffer"] = "job",
                ["Refused"] = "ref",
                ["JobFinished"] = "fin",
                ["Weights"] = "w",
                ["Gradient"] = "g",
                ["RegisterServer"] = "srv",
                ["ShardOffer"] = "so",
                ["ShardTensor"] = "st",
                ["ShardReady"] = "sr",
                ["ShardWorkers"] = "sw",
                ["ShardControl"] = "sc",
                ["ShardSnapshot"] = "ss",
                ["ShardLaneChanged"] = "sl",
                ["ShardStepWorkers"] = "ssw",
            },
            manifests);
    }

    [Fact]
    public void Samples_should_cover_every_row_of_the_contract_table()
    {
        var sampled = WireSamples.All().Select(m => m.GetType()).ToHashSet();

        Assert.All(WireContracts.All, contract => Assert.Contains(contract.MessageType, sampled));
        Assert.Equal(WireContracts.All.Length, WireContracts.All.Select(c => c.Manifest).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(WireContracts.All.Length, WireContracts.All.Select(c => c.MessageType).Distinct().Count());
    }

    [Fact]
    public void Every_wire_message_type_in_the_assembly_should_have_a_contract()
    {
        var wireTypes = typeof(IWireMessage).Assembly.GetTypes()
            .Where(t => typeof(IWireMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false });

        Assert.All(wireTypes, type => Assert.NotNull(WireContracts.ForType(type)));
    }

    [Fact]
    public void Serializer_should_write_slice_values_as_one_raw_little_endian_block()
    {
        var slice = WireSamples.RandomSlice(seed: 7, totalLength: 10_000, offset: 100, count: 5_000);
        var message = new ParameterServerProtocol.Weights("job-1", 1, 0, 0, 0, 1, slice);

        byte[] bytes = new BackpropSerializer((ExtendedActorSystem)Sys).ToBinary(message);

        // One bin of 20,000 bytes plus a few dozen bytes of fields: not 5,000 MessagePack floats of 5 bytes each.
        Assert.InRange(bytes.Length, 20_000, 20_064);
        int at = bytes.AsSpan().IndexOf(MemoryMarshal.AsBytes(slice.Values));
        Assert.Equal(bytes.Length - 20_000, at);
    }

    [Fact]
    public void A_float32_slice_should_keep_the_four_field_layout_of_wire_version_3()
    {
        float[] values = [1.5f, -2.25f, 3e-8f];
        var message = new ParameterServerProtocol.Weights("job-1", 3, 0, 1, 0, 1, TensorSlice.Copy(10, 4, values));

        byte[] bytes = new BackpropSerializer((ExtendedActorSystem)Sys).ToBinary(message);

        Assert.Equal(RawWire.Weights(10, 4, 3, [.. values.SelectMany(BitConverter.GetBytes)]), bytes);
        message.Slice.Release();
    }

    [Theory]
    [InlineData(TensorEncoding.Bf16)]
    [InlineData(TensorEncoding.Fp16)]
    public void A_16_bit_slice_should_take_two_bytes_a_value_and_arrive_as_floats_rounded_the_same_way(TensorEncoding encoding)
    {
        var sent = WireSamples.RandomSlice(seed: 9, totalLength: 60_000, offset: 30_000, count: 30_000);
        var plain = new ParameterServerProtocol.Weights("job-1", 1, 0, 0, 0, 1, sent);
        var message = plain with { Slice = sent with { Encoding = encoding } };
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);

        byte[] bytes = serializer.ToBinary(message);
        var back = (ParameterServerProtocol.Weights)serializer.FromBinary(bytes, "w");

        // Against float32: 60,000 bytes fewer of values, a bin16 header for a bin32 (2 fewer), one byte more: the encoding.
        Assert.Equal(serializer.ToBinary(plain).Length - 60_000 - 2 + 1, bytes.Length);
        WireAssert.SliceEqual(message.Slice, back.Slice);
        back.Slice.Release();
        sent.Release();
    }

    [Fact]
    public void A_sparse_slice_should_take_eight_bytes_a_kept_value_and_arrive_dense_with_zeros_elsewhere()
    {
        var sent = WireSamples.SparseSlice(seed: 10, totalLength: 100_000, offset: 40_000, count: 30_000, kept: 300);
        var message = new ParameterServerProtocol.Gradient("job-1", 1, 0, 8, 1.5, 3, sent);
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);

        byte[] bytes = serializer.ToBinary(message);
        var back = (ParameterServerProtocol.Gradient)serializer.FromBinary(bytes, "g");

        Assert.InRange(bytes.Length, 2_400, 2_400 + 64);
        WireAssert.SliceEqual(sent, back.Slice);
        Assert.Equal(300, back.Slice.Values.ToArray().Count(v => v != 0));
        back.Slice.Release();
        sent.Release();
    }

    [Fact]
    public void Serializer_should_refuse_at_the_sender_a_sparse_slice_the_receiver_would_reject()
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);
        var slice = new TensorSlice(10, 0, 4, new float[4]) { Encoding = TensorEncoding.Sparse };
        TensorSlice[] bad =
        [
            slice with { Indices = new[] { 1, 1 } },
            slice with { Indices = new[] { 2, 4 } },
            slice,
            slice with { Encoding = TensorEncoding.Bf16, Indices = new[] { 1 } },
            slice with { Encoding = (TensorEncoding)9 },
        ];

        Assert.All(bad, s => Assert.Throws<SerializationException>(() => serializer.ToBinary(new ParameterServerProtocol.Gradient("job-1", 1, 0, 1, 0, 0, s))));
    }

    [Fact]
    public void Serializer_should_read_values_into_a_pooled_array_at_least_count_long()
    {
        var message = new ParameterServerProtocol.Gradient("job-1", 1, 0, 8, 1.5, 3, WireSamples.RandomSlice(seed: 8, totalLength: 100, offset: 10, count: 37));
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);

        var back = (ParameterServerProtocol.Gradient)serializer.FromBinary(serializer.ToBinary(message), "g");

        WireAssert.SliceEqual(message.Slice, back.Slice);
        back.Slice.Release();
    }

    [Fact]
    public void Serializer_should_throw_serialization_exception_when_the_object_is_not_a_wire_message()
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);

        var toBinary = Assert.Throws<SerializationException>(() => serializer.ToBinary("not a message"));
        var manifest = Assert.Throws<SerializationException>(() => serializer.Manifest(42));

        Assert.Contains("System.String", toBinary.Message, StringComparison.Ordinal);
        Assert.Contains("System.Int32", manifest.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_should_throw_serialization_exception_when_a_wire_message_has_no_contract()
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);

        var error = Assert.Throws<SerializationException>(() => serializer.ToBinary(new Uncontracted(1)));

        Assert.Contains(nameof(Uncontracted), error.Message, StringComparison.Ordinal);
        Assert.Contains("WireContracts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_should_throw_serialization_exception_naming_the_manifest_when_it_is_unknown()
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);
        byte[] bytes = serializer.ToBinary(new WorkerProtocol.Refused("no"));

        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "zz"));

        Assert.Contains("'zz'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_should_refuse_at_the_sender_a_slice_the_receiver_would_reject()
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);
        var pastTheEnd = new ParameterServerProtocol.Weights("job-1", 1, 0, 0, 0, 1, new TensorSlice(10, 8, 4, new float[4]));
        var shortData = new ParameterServerProtocol.Weights("job-1", 1, 0, 0, 0, 1, new TensorSlice(10, 0, 4, new float[3]));

        Assert.Throws<SerializationException>(() => serializer.ToBinary(pastTheEnd));
        Assert.Throws<SerializationException>(() => serializer.ToBinary(shortData));
    }

    [Fact]
    public void Serializer_should_refuse_at_the_sender_a_null_or_unencodable_string()
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);

        Assert.Throws<SerializationException>(() => serializer.ToBinary(new WorkerProtocol.Refused(null!)));
        Assert.Throws<SerializationException>(() => serializer.ToBinary(new WorkerProtocol.Refused("lone \ud800 surrogate")));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Serializer_should_throw_serialization_exception_when_the_bytes_are_empty(string manifest)
    {
        var serializer = new BackpropSerializer((ExtendedActorSystem)Sys);

        Assert.Throws<SerializationException>(() => serializer.FromBinary([], manifest));
    }

    private sealed record Uncontracted(int Value) : IWireMessage;
}
