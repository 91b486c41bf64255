using System.Buffers;
using System.Runtime.Serialization;
using Akka.Configuration;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;
using MessagePack;

namespace Backprop.Cluster.Tests.Wire;

public sealed class WireSizesTests
{
    public static TheoryData<long> IntegerBoundaries() =>
    [
        long.MinValue, int.MinValue - 1L, int.MinValue, short.MinValue - 1, short.MinValue, sbyte.MinValue - 1, sbyte.MinValue,
        -33, -32, -1, 0, 127, 128, 255, 256, ushort.MaxValue, ushort.MaxValue + 1, uint.MaxValue, uint.MaxValue + 1L, long.MaxValue,
    ];

    public static TheoryData<int> LengthBoundaries() => [0, 1, 15, 16, 31, 32, 255, 256, 65_535, 65_536, 70_000];

    [Fact]
    public void Serialized_size_should_equal_the_bytes_written_for_every_sample()
    {
        foreach (var message in WireSamples.All())
        {
            Assert.Equal(WireFormat.Serialize(message).Length, WireFormat.SerializedSize(message));
        }
    }

    [Theory]
    [MemberData(nameof(IntegerBoundaries))]
    public void Size_counter_should_agree_with_messagepack_when_writing_an_integer(long value)
    {
        var counter = default(WireSizeCounter);
        counter.Write(value);

        Assert.Equal(Written((ref MessagePackWriter w) => w.Write(value)), counter.Bytes);
    }

    [Theory]
    [MemberData(nameof(LengthBoundaries))]
    public void Size_counter_should_agree_with_messagepack_when_writing_headers_strings_and_bins(int length)
    {
        string text = new('é', length / 2);
        var counter = default(WireSizeCounter);
        counter.WriteArrayHeader(length);
        counter.Write(text);
        counter.WriteFloats(new float[length / 4]);

        long expected = Written((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(length);
            w.Write(text);
            w.Write(new byte[(length / 4) * sizeof(float)]);
        });
        Assert.Equal(expected, counter.Bytes);
    }

    [Theory]
    [MemberData(nameof(LengthBoundaries))]
    public void Size_counter_should_agree_with_messagepack_when_writing_encoded_bins(int length)
    {
        var values = new float[length / 2];
        int[] indices = [.. Enumerable.Range(0, length / 4)];
        var counter = default(WireSizeCounter);
        counter.WriteBFloat16(values);
        counter.WriteFloat16(values);
        counter.WriteGathered(values, indices);
        counter.WriteInt32s(indices);

        long expected = Written((ref MessagePackWriter w) =>
        {
            w.Write(new byte[(length / 2) * 2]);
            w.Write(new byte[(length / 2) * 2]);
            w.Write(new byte[(length / 4) * 4]);
            w.Write(new byte[(length / 4) * 4]);
        });
        Assert.Equal(expected, counter.Bytes);
    }

    [Fact]
    public void Frame_check_should_pass_when_a_default_slice_goes_in_a_default_frame()
    {
        var values = new float[TensorSlicing.FloatsPerSlice()];
        values.AsSpan().Fill(1.5f);
        var message = new ParameterServerProtocol.Weights(new string('j', 64), long.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue, new TensorSlice(1 << 28, (1 << 28) - values.Length, values.Length, values));

        long frame = WireSizes.EnsureFits(message, WireSizes.DefaultMaximumFrameSize);

        Assert.InRange(frame, TensorSlicing.DefaultMaxBytes, WireSizes.DefaultMaximumFrameSize);
    }

    [Fact]
    public void Frame_check_should_throw_invalid_operation_naming_the_sizes_when_a_message_is_too_big()
    {
        var values = new float[40_000];
        var message = new ParameterServerProtocol.Gradient("job-1", 1, 0, 1, 0, 0, new TensorSlice(40_000, 0, 40_000, values));

        var error = Assert.Throws<InvalidOperationException>(() => WireSizes.EnsureFits(message, WireSizes.DefaultMaximumFrameSize));

        Assert.Contains("Gradient", error.Message, StringComparison.Ordinal);
        Assert.Contains("128000", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(TensorSlicing), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_size_should_add_the_manifest_and_the_envelope_allowance()
    {
        var message = new Backprop.Cluster.Worker.WorkerProtocol.Refused("no");

        Assert.Equal(WireFormat.SerializedSize(message) + 3 + WireSizes.EnvelopeAllowance, WireSizes.FrameSize(message));
    }

    [Fact]
    public void Frame_check_should_throw_serialization_exception_when_the_message_cannot_be_written()
    {
        var message = new ParameterServerProtocol.Weights("job-1", 1, 0, 0, 0, 1, new TensorSlice(4, 2, 4, new float[4]));

        Assert.Throws<SerializationException>(() => WireSizes.EnsureFits(message, WireSizes.DefaultMaximumFrameSize));
    }

    [Fact]
    public void Maximum_frame_size_should_read_the_remote_setting_or_default_to_akkas()
    {
        var configured = ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.maximum-frame-size = 4MiB");

        Assert.Equal(4L * 1024 * 1024, WireSizes.MaximumFrameSize(configured));
        Assert.Equal(WireSizes.DefaultMaximumFrameSize, WireSizes.MaximumFrameSize(Config.Empty));
    }

    private static long Written(RawWire.WriteAction write)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        write(ref writer);
        writer.Flush();
        return output.WrittenCount;
    }
}
