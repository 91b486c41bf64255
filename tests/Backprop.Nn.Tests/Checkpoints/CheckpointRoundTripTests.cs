using System.Buffers.Binary;
using System.IO.Hashing;
using Backprop.Nn.Checkpoints;

namespace Backprop.Nn.Tests.Checkpoints;

public sealed class CheckpointRoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Checkpoint_should_read_back_every_section_type_bit_for_bit()
    {
        string path = _folder.File("run.ckpt");
        CheckpointFile.WriteAtomic(path, CheckpointKind.Checkpoint, CheckpointSamples.Fill);

        var reader = CheckpointFile.Read(path, CheckpointKind.Checkpoint);

        Assert.Equal(CheckpointKind.Checkpoint, reader.Kind);
        Assert.Equal(1, reader.FormatVersion);
        Assert.Equal(path, reader.SourceName);
        Assert.Equal(["params", "optimizer.m", "data.order", "step", "config", "rng", "empty"], reader.SectionNames);
        // Compare bit patterns: NaN, -0 and denormals must survive exactly.
        Assert.Equal(CheckpointSamples.Weights.Select(BitConverter.SingleToInt32Bits), reader.Floats("params").Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(CheckpointSamples.Moments.Select(BitConverter.DoubleToInt64Bits), reader.Doubles("optimizer.m").Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(CheckpointSamples.Order, reader.Int32s("data.order"));
        Assert.Equal(CheckpointSamples.Step, reader.Int64("step"));
        Assert.Equal(CheckpointSamples.Config, reader.String("config"));
        Assert.Equal(CheckpointSamples.Raw, reader.Bytes("rng").ToArray());
        Assert.Empty(reader.Floats("empty"));
        Assert.True(reader.Has("rng"));
        Assert.False(reader.Has("RNG"));
    }

    [Fact]
    public void Checkpoint_should_copy_floats_into_an_existing_buffer()
    {
        var reader = CheckpointFile.Parse(CheckpointSamples.Bytes(), "sample", CheckpointKind.Checkpoint);
        var buffer = new float[CheckpointSamples.Weights.Length];

        reader.CopyFloats("params", buffer);

        Assert.Equal(CheckpointSamples.Weights.Select(BitConverter.SingleToInt32Bits), buffer.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Checkpoint_should_hold_no_sections_at_all()
    {
        byte[] data = CheckpointFile.Bytes(CheckpointKind.Model, _ => { });

        var reader = CheckpointFile.Parse(data, "nothing", CheckpointKind.Model);

        Assert.Empty(reader.SectionNames);
        Assert.Equal(4 + 2 + 2 + 5 + 2 + 4 + 8, data.Length);
    }

    [Fact]
    public void Checkpoint_should_write_the_documented_layout_byte_for_byte()
    {
        byte[] data = CheckpointFile.Bytes("model", w => w.Add("ab", [0xAA, 0xBB, 0xCC]));

        byte[] expectedBody =
        [
            0x42, 0x50, 0x4E, 0x4E,             // "BPNN"
            0x01, 0x00,                         // version 1
            0x05, 0x00, 0x6D, 0x6F, 0x64, 0x65, 0x6C, // kind "model"
            0x02, 0x00, 0x61, 0x62,             // name "ab"
            0x03, 0, 0, 0, 0, 0, 0, 0,          // 3 bytes of data
            0xAA, 0xBB, 0xCC,
            0x00, 0x00,                         // end marker
            0x01, 0x00, 0x00, 0x00,             // one section
        ];
        Assert.Equal(expectedBody, data[..^8]);
        Assert.Equal(Crc64.HashToUInt64(expectedBody), BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(^8)));
    }

    [Fact]
    public void Checkpoint_should_give_identical_bytes_for_identical_content()
    {
        string first = _folder.File("first.bpnn");
        string second = _folder.File("second.bpnn");
        CheckpointFile.WriteAtomic(first, CheckpointKind.Checkpoint, CheckpointSamples.Fill);
        CheckpointFile.WriteAtomic(second, CheckpointKind.Checkpoint, CheckpointSamples.Fill);

        byte[] bytes = File.ReadAllBytes(first);

        Assert.Equal(bytes, File.ReadAllBytes(second));
        Assert.Equal(bytes, CheckpointSamples.Bytes());
        Assert.Equal(bytes, CheckpointSamples.Bytes());
    }

    [Fact]
    public void Checkpoint_should_keep_only_the_new_file_after_overwriting()
    {
        string path = _folder.File("model.bpnn");
        CheckpointFile.WriteAtomic(path, CheckpointKind.Model, w => w.AddInt64("step", 1));
        CheckpointFile.WriteAtomic(path, CheckpointKind.Model, w => w.AddInt64("step", 2));

        Assert.Equal(2, CheckpointFile.Read(path, CheckpointKind.Model).Int64("step"));
        Assert.Equal(["model.bpnn"], _folder.FileNames());
    }

    [Fact]
    public void Writer_should_refuse_empty_duplicate_and_unencodable_names_without_damaging_the_file()
    {
        byte[] data = CheckpointFile.Bytes(CheckpointKind.Model, w =>
        {
            w.AddInt64("a", 1);
            Assert.Throws<ArgumentException>(() => w.AddInt64("", 2));
            Assert.Throws<ArgumentNullException>(() => w.AddInt64(null!, 2));
            var duplicate = Assert.Throws<ArgumentException>(() => w.AddFloats("a", [1f]));
            Assert.Contains("'a' was already added", duplicate.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => w.Add("bad\uD800name", [1]));
            Assert.Throws<ArgumentException>(() => w.AddString("text", "lone \uDC00 surrogate"));
            Assert.Throws<ArgumentException>(() => w.Add(new string('x', 70_000), [1]));
            w.AddInt64("b", 3);
            Assert.Equal(2, w.SectionCount);
        });

        var reader = CheckpointFile.Parse(data, "refusals", CheckpointKind.Model);

        Assert.Equal(["a", "b"], reader.SectionNames);
        Assert.Equal(3, reader.Int64("b"));
    }

    [Fact]
    public void Writer_should_refuse_sections_after_the_file_is_complete()
    {
        CheckpointWriter? kept = null;
        CheckpointFile.Bytes(CheckpointKind.Model, w => kept = w);

        Assert.Throws<InvalidOperationException>(() => kept!.AddInt64("late", 1));
    }

    [Fact]
    public void Checkpoint_should_refuse_an_empty_kind()
    {
        Assert.Throws<ArgumentException>(() => CheckpointFile.Bytes("", _ => { }));
        Assert.Throws<ArgumentException>(() => CheckpointFile.WriteAtomic(_folder.File("x"), "", _ => { }));
        Assert.Empty(_folder.FileNames());
    }
}
