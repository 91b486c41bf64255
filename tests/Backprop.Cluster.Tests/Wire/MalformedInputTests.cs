using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Serialization;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Sharding;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Wire.Contracts;
using Backprop.Cluster.Worker;
using MessagePack;

namespace Backprop.Cluster.Tests.Wire;

/// <summary>
/// Bad bytes always end in a <see cref="SerializationException"/>: never another exception, never a
/// hang, and never an allocation out of proportion to the input.
/// </summary>
public sealed class MalformedInputTests
{
    private const int Seed = 20_240_611;

    public static TheoryData<int, int, int, int> BadSliceRanges() => new()
    {
        // totalLength, offset, count, floats actually sent
        { 10, 8, 4, 4 },                        // Offset + Count > TotalLength
        { 10, -1, 2, 2 },                       // negative Offset
        { 10, 0, -1, 0 },                       // negative Count
        { (1 << 28) + 1, 0, 1, 1 },             // TotalLength above the bound
        { -5, 0, 0, 0 },                        // negative TotalLength
        { int.MaxValue, int.MaxValue - 1, 2, 2 }, // Offset + Count overflows int
        { 100, 0, 10, 9 },                      // fewer values than Count
        { 100, 0, 10, 11 },                     // more values than Count
    };

    public static TheoryData<string, byte[], string> BadEncodedSlices() => new()
    {
        // what is wrong, the bytes, a phrase the error must contain
        { "unknown encoding", RawWire.EncodedWeights(10, 0, 2, new byte[8], 7), "Encoding 7" },
        { "negative encoding", RawWire.EncodedWeights(10, 0, 2, new byte[8], -1), "Encoding -1" },
        { "bf16 values not whole halves", RawWire.EncodedWeights(10, 0, 2, new byte[3], 1), "16-bit" },
        { "bf16 values fewer than Count", RawWire.EncodedWeights(10, 0, 4, new byte[6], 1), "Count is 4" },
        { "fp16 values more than Count", RawWire.EncodedWeights(10, 0, 2, new byte[8], 2), "Count is 2" },
        { "fp16 values as float32", RawWire.Weights(10, 0, 2, new byte[4]), "Count is 2" },
        { "sparse without Indices", RawWire.EncodedWeights(10, 0, 4, new byte[4], 3), "no Indices" },
        { "sparse index past Count", RawWire.EncodedWeights(10, 2, 4, new byte[8], 3, RawWire.Int32s(1, 4)), "index 4 at position 1 is outside [0, Count 4)" },
        { "sparse negative index", RawWire.EncodedWeights(10, 0, 4, new byte[8], 3, RawWire.Int32s(-1, 2)), "index -1 at position 0 is outside" },
        { "sparse indices repeated", RawWire.EncodedWeights(10, 0, 4, new byte[8], 3, RawWire.Int32s(2, 2)), "not strictly increasing" },
        { "sparse indices decreasing", RawWire.EncodedWeights(10, 0, 4, new byte[12], 3, RawWire.Int32s(0, 3, 1)), "not strictly increasing" },
        { "sparse values and indices disagree", RawWire.EncodedWeights(10, 0, 4, new byte[4], 3, RawWire.Int32s(0, 1)), "Values hold 1 floats but Indices hold 2" },
        { "sparse more indices than Count", RawWire.EncodedWeights(10, 0, 2, new byte[12], 3, RawWire.Int32s(0, 1, 2)), "Count is 2" },
        { "sparse indices not whole int32", RawWire.EncodedWeights(10, 0, 4, new byte[4], 3, new byte[5]), "whole numbers" },
        { "sparse too sparse for Count", RawWire.EncodedWeights(1 << 28, 0, 1 << 28, new byte[4], 3, RawWire.Int32s(5)), "at least one value per 1024" },
        { "sparse empty for a non-empty range", RawWire.EncodedWeights(10, 0, 4, [], 3, []), "0 values stand for Count 4" },
    };

    [Fact]
    public void Deserialize_should_throw_serialization_exception_when_truncated_at_every_length()
    {
        foreach (var message in WireSamples.Small())
        {
            byte[] bytes = WireFormat.Serialize(message);
            string manifest = WireFormat.Manifest(message);
            for (int length = 0; length < bytes.Length; length++)
            {
                AssertRejected(bytes.AsMemory(0, length), manifest);
            }
        }
    }

    [Fact]
    public void Deserialize_should_throw_only_serialization_exception_when_random_bits_flip()
    {
        var random = new Random(Seed);
        var samples = WireSamples.Small().Select(m => (Bytes: WireFormat.Serialize(m), Manifest: WireFormat.Manifest(m))).ToArray();
        int rejected = 0;
        for (int trial = 0; trial < 4_000; trial++)
        {
            var (bytes, manifest) = samples[random.Next(samples.Length)];
            byte[] corrupt = (byte[])bytes.Clone();
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++)
            {
                corrupt[random.Next(corrupt.Length)] ^= (byte)(1 << random.Next(8));
            }

            rejected += ReadOrReject(corrupt, manifest) ? 0 : 1;
        }

        // Flips in float payloads decode fine; flips in headers must be caught. Both kinds happened.
        Assert.InRange(rejected, 100, 3_900);
    }

    [Fact]
    public void Deserialize_should_throw_only_serialization_exception_when_given_random_bytes()
    {
        var random = new Random(Seed + 1);
        string[] manifests = [.. WireContracts.All.Select(c => c.Manifest)];
        for (int trial = 0; trial < 2_000; trial++)
        {
            byte[] noise = new byte[random.Next(0, 64)];
            random.NextBytes(noise);

            // Start most inputs with a plausible array header so the reader gets past the first byte.
            if (noise.Length > 0 && trial % 4 != 0)
            {
                noise[0] = (byte)(MessagePackCode.MinFixArray | random.Next(8));
            }

            ReadOrReject(noise, manifests[trial % manifests.Length]);
        }
    }

    [Fact]
    public void Deserialize_should_throw_without_allocating_when_a_bin_header_claims_two_gigabytes()
    {
        byte[] bytes = RawWire.WeightsPrefix(output =>
        {
            var writer = new MessagePackWriter(output);
            writer.WriteArrayHeader(4);
            writer.Write(1 << 28);
            writer.Write(0);
            writer.Write(1 << 28);
            writer.Flush();
            Span<byte> header = output.GetSpan(5);
            header[0] = MessagePackCode.Bin32;
            BinaryPrimitives.WriteUInt32BigEndian(header[1..], int.MaxValue);
            output.Advance(5);
            output.Write(new byte[16]);
        });

        AssertRejected(bytes, "w");
    }

    [Fact]
    public void Deserialize_should_throw_without_allocating_when_headers_claim_more_than_the_input_holds()
    {
        byte[] hugeArray = [MessagePackCode.Array32, 0x7F, 0xFF, 0xFF, 0xFF, 0xA1, 0x41];
        byte[] hugeString = [MessagePackCode.MinFixArray | 4, MessagePackCode.Str32, 0x7F, 0xFF, 0xFF, 0xFF, 0x41, 0x42];
        byte[] hugeCount = RawWire.Weights(1 << 28, 0, 1 << 28, new byte[64]);

        AssertRejected(hugeArray, "reg");
        AssertRejected(hugeString, "reg");
        AssertRejected(hugeCount, "w");
    }

    [Theory]
    [MemberData(nameof(BadSliceRanges))]
    public void Deserialize_should_throw_serialization_exception_when_a_slice_is_inconsistent(int totalLength, int offset, int count, int sent)
    {
        byte[] bytes = RawWire.Weights(totalLength, offset, count, new byte[sent * sizeof(float)]);

        AssertRejected(bytes, "w");
    }

    [Theory]
    [MemberData(nameof(BadEncodedSlices))]
    public void An_encoded_slice_should_be_rejected_with_a_serialization_exception_naming_what_is_wrong(string what, byte[] bytes, string phrase)
    {
        var error = AssertRejected(bytes, "w");

        Assert.True(error.Message.Contains(phrase, StringComparison.Ordinal), $"{what}: {error.Message}");
    }

    [Fact]
    public void A_slice_of_the_four_field_layout_should_still_read_as_float32()
    {
        byte[] values = [.. new[] { 1.5f, -2.25f }.SelectMany(BitConverter.GetBytes)];

        var message = (ParameterServerProtocol.Weights)WireFormat.Deserialize(RawWire.Weights(10, 3, 2, values), "w");

        Assert.Equal([1.5f, -2.25f], message.Slice.Values.ToArray());
        Assert.Equal(TensorEncoding.Fp32, message.Slice.Encoding);
        message.Slice.Release();
    }

    [Fact]
    public void Deserialize_should_throw_serialization_exception_when_values_are_not_whole_floats()
    {
        AssertRejected(RawWire.Weights(10, 0, 2, new byte[7]), "w");
    }

    [Fact]
    public void Deserialize_should_throw_serialization_exception_when_a_string_is_nil_or_not_utf8()
    {
        byte[] nilName = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1);
            w.WriteNil();
        });
        byte[] badUtf8 = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1);
            w.WriteString([0x66, 0xC3, 0x28, 0x6F]);
        });

        AssertRejected(nilName, "ref");
        AssertRejected(badUtf8, "ref");
    }

    [Fact]
    public void Deserialize_should_throw_serialization_exception_when_a_field_has_the_wrong_type_or_overflows()
    {
        byte[] boolAsString = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write("job-1");
            w.Write("yes");
        });
        byte[] threadsOverflow = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(4);
            w.Write("worker-1");
            w.Write(1);
            w.Write("build");
            w.Write(long.MaxValue);
        });

        AssertRejected(boolAsString, "fin");
        AssertRejected(threadsOverflow, "reg");
    }

    [Fact]
    public void Deserialize_should_throw_serialization_exception_when_fields_are_missing_or_bytes_follow()
    {
        byte[] valid = WireFormat.Serialize(new WorkerProtocol.JobFinished("job-1", true));
        byte[] trailing = [.. valid, MessagePackCode.Nil];
        byte[] map = [MessagePackCode.MinFixMap];

        AssertRejected(RawWire.RegisterWorker(fieldCount: 3), "reg");
        AssertRejected(trailing, "fin");
        AssertRejected(map, "fin");
    }

    [Fact]
    public void Deserialize_should_skip_scalar_fields_a_newer_sender_appended()
    {
        byte[] bytes = RawWire.RegisterWorker(fieldCount: 7, extra: output =>
        {
            var writer = new MessagePackWriter(output);
            writer.Write("a field from the future");
            writer.Write(3.5);
            writer.Write(new byte[] { 1, 2, 3 });
            writer.Flush();
        });

        var message = (CoordinatorProtocol.RegisterWorker)WireFormat.Deserialize(bytes, "reg");

        Assert.Equal(new CoordinatorProtocol.RegisterWorker("worker-1", 1, "build", 4), message);
    }

    [Fact]
    public void Deserialize_should_throw_serialization_exception_when_an_appended_field_nests_deeply()
    {
        // 100,000 nested arrays: MessagePack's own Skip would recurse into them until the stack overflows.
        byte[] bytes = RawWire.RegisterWorker(fieldCount: 5, extra: output =>
        {
            Span<byte> nesting = output.GetSpan(100_001);
            nesting[..100_000].Fill(MessagePackCode.MinFixArray | 1);
            nesting[100_000] = MessagePackCode.Nil;
            output.Advance(100_001);
        });

        AssertRejected(bytes, "reg");
    }

    [Fact]
    public void A_list_whose_header_claims_more_items_than_bytes_follow_should_be_rejected_before_it_is_allocated()
    {
        byte[] bytes = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(19);
            w.Write("job-1");
            w.Write("backprop { }");
            w.Write(1);
            w.Write(2);
            w.WriteArrayHeader(int.MaxValue);
            w.Write(784);
            w.Write(10);
        });

        var error = AssertRejected(bytes, "so");

        Assert.Contains("Widths claims 2147483647 items", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_where_a_scalar_belongs_or_a_scalar_where_a_list_belongs_should_be_rejected()
    {
        byte[] notAList = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write("job-1");
            w.Write("worker-1");
            w.WriteArrayHeader(0);
        });
        byte[] nestedItem = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write("job-1");
            w.WriteArrayHeader(1);
            w.WriteArrayHeader(0);
            w.WriteArrayHeader(0);
        });

        Assert.Contains("WorkerIds is a String; expected a list", AssertRejected(notAList, "sw").Message, StringComparison.Ordinal);
        AssertRejected(nestedItem, "sw");
    }

    [Fact]
    public void Shard_workers_whose_ids_and_paths_differ_in_number_should_be_refused_by_the_reader_and_the_writer()
    {
        byte[] bytes = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write("job-1");
            w.WriteArrayHeader(2);
            w.Write("worker-1");
            w.Write("worker-2");
            w.WriteArrayHeader(1);
            w.Write("akka://backprop/user/worker");
        });

        Assert.Contains("2 WorkerIds but 1 WorkerPaths", AssertRejected(bytes, "sw").Message, StringComparison.Ordinal);
        Assert.Throws<SerializationException>(() => WireFormat.Serialize(new ShardProtocol.ShardWorkers("job-1", ["worker-1"], [])));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void A_shard_command_unknown_to_this_build_should_be_refused_by_the_reader_and_the_writer(int code)
    {
        byte[] bytes = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write("job-1");
            w.Write(code);
        });

        Assert.Contains($"command {code} is unknown", AssertRejected(bytes, "sc").Message, StringComparison.Ordinal);
        Assert.Throws<SerializationException>(() => WireFormat.Serialize(new ShardProtocol.ShardControl("job-1", (ShardProtocol.ShardCommand)code)));
    }

    [Fact]
    public void A_job_offer_of_wire_version_4_without_servers_should_be_refused_naming_the_fields()
    {
        byte[] bytes = RawWire.Write((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(9);
            w.Write("job-1");
            w.Write("backprop { }");
            w.Write(string.Empty);
            w.Write(0);
            w.Write(0);
            w.Write("none");
            w.Write(0.01);
            w.Write(0);
            w.Write(0);
        });

        Assert.Contains("JobOffer has 9 fields; this build reads 11", AssertRejected(bytes, "job").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_offer_naming_an_unknown_compression_should_be_refused()
    {
        var offer = new ShardProtocol.ShardOffer("job-1", "backprop { }", 1, 2, [4, 3], 10, 0, 0, 0, 0, new Backprop.Cluster.Settings.ExchangeSettings { Servers = 2 }, 1_000, 5_000);
        byte[] bytes = WireFormat.Serialize(offer);
        int at = bytes.AsSpan().IndexOf("none"u8);
        "zstd"u8.CopyTo(bytes.AsSpan(at));

        Assert.Contains("ShardOffer names an unknown compression \"zstd\"", AssertRejected(bytes, "so").Message, StringComparison.Ordinal);
    }

    // Reads the input; a success is fine (its slice goes back to the pool), any exception but
    // SerializationException fails the test. Returns whether it was read.
    private static bool ReadOrReject(ReadOnlyMemory<byte> bytes, string manifest)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            WireAssert.Release(WireFormat.Deserialize(bytes, manifest));
            return true;
        }
        catch (SerializationException)
        {
            return false;
        }
        finally
        {
            AssertAllocationWarranted(before, bytes.Length);
        }
    }

    private static SerializationException AssertRejected(ReadOnlyMemory<byte> bytes, string manifest)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SerializationException>(() => WireFormat.Deserialize(bytes, manifest));
        AssertAllocationWarranted(before, bytes.Length);
        Assert.Contains($"'{manifest}'", error.Message, StringComparison.Ordinal);
        return error;
    }

    // Strings and pooled arrays may take a few times the input; the rest is the exception itself.
    private static void AssertAllocationWarranted(long before, int inputLength)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= (64 * 1024) + (4L * inputLength), $"{allocated} bytes allocated for a {inputLength}-byte input");
    }
}
