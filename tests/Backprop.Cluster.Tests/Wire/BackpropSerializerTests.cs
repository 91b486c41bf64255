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
