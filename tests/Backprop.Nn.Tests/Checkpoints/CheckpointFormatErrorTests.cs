using System.Buffers.Binary;
using System.IO.Hashing;
using Backprop.Nn.Checkpoints;

namespace Backprop.Nn.Tests.Checkpoints;

public sealed class CheckpointFormatErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Read_should_say_a_missing_file_does_not_exist()
    {
        string path = _folder.File("nope.bpnn");

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Model));

        Assert.Equal($"'{path}' does not exist.", error.Message);
        Assert.Equal(path, error.SourceName);
    }

    [Fact]
    public void Read_should_say_a_file_in_a_missing_folder_does_not_exist()
    {
        string path = _folder.File(Path.Combine("gone", "nope.bpnn"));

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Model));

        Assert.Equal($"'{path}' does not exist.", error.Message);
    }

    [Fact]
    public void Read_should_say_a_folder_is_not_a_file()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(_folder.Path, CheckpointKind.Model));

        Assert.Equal($"'{_folder.Path}' is a folder, not a model or checkpoint file.", error.Message);
    }

    [Fact]
    public void Read_should_say_an_empty_file_is_empty()
    {
        string path = _folder.File("empty.bpnn");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Model));

        Assert.Equal($"'{path}' is empty (0 bytes), not a backprop model or checkpoint.", error.Message);
    }

    [Fact]
    public void Read_should_name_the_first_bytes_of_a_file_that_is_not_ours()
    {
        string path = _folder.File("archive.zip");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Model));

        Assert.Equal(
            $"'{path}' is not a backprop file: it starts with the bytes 50 4B 03 04 (\"PK..\") " +
            "where a backprop model or checkpoint starts with 42 50 4E 4E (\"BPNN\").",
            error.Message);
    }

    [Fact]
    public void Parse_should_call_a_short_foreign_file_foreign_and_a_short_prefix_of_ours_truncated()
    {
        var foreign = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse("{}"u8.ToArray(), "json", CheckpointKind.Model));
        var prefix = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse("BP"u8.ToArray(), "cut", CheckpointKind.Model));

        Assert.StartsWith("'json' is not a backprop file: it starts with the bytes 7B 7D (\"{}\")", foreign.Message, StringComparison.Ordinal);
        Assert.Equal(
            "'cut' is truncated: it ends at byte 2, in the magic bytes at byte 0, where 4 bytes were expected and 2 are present.", prefix.Message);
    }

    [Fact]
    public void Read_should_say_a_newer_format_version_needs_a_newer_backprop()
    {
        string path = _folder.File("future.bpnn");
        byte[] data = CheckpointSamples.Bytes();
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), 2);
        File.WriteAllBytes(path, data);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Checkpoint));

        Assert.Equal(
            $"'{path}' was written by a newer backprop: its format version is 2, and this build reads format version 1 and older. " +
            "Upgrade backprop to load it.",
            error.Message);
    }

    [Fact]
    public void Read_should_say_which_kind_a_file_of_the_other_kind_is()
    {
        string path = _folder.File("run.ckpt");
        CheckpointFile.WriteAtomic(path, CheckpointKind.Checkpoint, CheckpointSamples.Fill);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Model));

        Assert.Equal($"'{path}' is a checkpoint, not a model.", error.Message);
    }

    [Fact]
    public void Read_should_say_where_a_file_is_truncated_and_what_was_expected()
    {
        string path = _folder.File("cut.bpnn");
        byte[] whole = CheckpointFile.Bytes(CheckpointKind.Model, w => w.AddFloats("weights", new float[1000]));
        File.WriteAllBytes(path, whole[..1000]);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Model));

        // 8 header + 5 kind + 2 + 7 name + 8 length: the data starts at byte 30.
        Assert.Equal($"'{path}' is truncated: section 'weights' declares 4000 bytes of data from byte 30, but only 970 bytes remain.", error.Message);
    }

    [Fact]
    public void Parse_should_say_a_file_cut_in_a_small_field_is_truncated_there()
    {
        byte[] whole = CheckpointFile.Bytes(CheckpointKind.Model, w => w.AddInt64("step", 5));

        var inLength = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(whole[..22], "cut", CheckpointKind.Model));
        var inTrailer = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(whole[..^3], "cut", CheckpointKind.Model));

        Assert.Equal(
            "'cut' is truncated: it ends at byte 22, in the data length of section 'step' at byte 19, where 8 bytes were expected and 3 are present.",
            inLength.Message);
        Assert.Equal(
            "'cut' is truncated: it ends at byte 46, in the checksum in the trailer at byte 41, where 8 bytes were expected and 5 are present.",
            inTrailer.Message);
    }

    [Fact]
    public void Parse_should_report_truncation_at_every_length_short_of_the_whole_file()
    {
        byte[] whole = CheckpointSamples.Bytes();

        for (int length = 1; length < whole.Length; length++)
        {
            var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(whole[..length], "cut", CheckpointKind.Checkpoint));
            Assert.True(error.Message.StartsWith("'cut' is truncated: ", StringComparison.Ordinal), $"length {length}: {error.Message}");
        }
    }

    [Fact]
    public void Read_should_report_truncation_of_real_files_at_many_offsets()
    {
        byte[] whole = CheckpointSamples.Bytes();
        string path = _folder.File("cut.bpnn");

        for (int length = 0; length < whole.Length; length += 7)
        {
            File.WriteAllBytes(path, whole[..length]);
            var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Checkpoint));
            string expected = length == 0 ? "is empty" : "is truncated: ";
            Assert.True(error.Message.StartsWith($"'{path}' {expected}", StringComparison.Ordinal), $"length {length}: {error.Message}");
        }
    }

    [Fact]
    public void Parse_should_reject_every_single_bit_flip_with_a_format_error()
    {
        byte[] whole = CheckpointSamples.Bytes();

        for (int bit = 0; bit < whole.Length * 8; bit++)
        {
            byte[] damaged = (byte[])whole.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            // Any other exception type, or a hang, fails the test by itself.
            var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(damaged, "flipped", CheckpointKind.Checkpoint));
            Assert.StartsWith("'flipped' ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_should_reject_random_damage_and_random_junk_with_a_format_error()
    {
        var random = new Random(20251124);
        byte[] whole = CheckpointSamples.Bytes();
        byte[] header = [0x42, 0x50, 0x4E, 0x4E, 0x01, 0x00];

        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] damaged = (byte[])whole.Clone();
            int start = random.Next(damaged.Length);
            random.NextBytes(damaged.AsSpan(start, Math.Min(random.Next(1, 16), damaged.Length - start)));
            if (!damaged.AsSpan().SequenceEqual(whole))
            {
                Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(damaged, "damaged", CheckpointKind.Checkpoint));
            }

            byte[] junk = new byte[random.Next(0, 64)];
            random.NextBytes(junk);
            header.AsSpan(0, Math.Min(header.Length, junk.Length)).CopyTo(junk);
            Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(junk, "junk", CheckpointKind.Checkpoint));
        }
    }

    [Fact]
    public void Parse_should_say_a_damaged_section_is_corrupt_by_checksum()
    {
        byte[] data = CheckpointFile.Bytes(CheckpointKind.Model, w => w.AddFloats("weights", [1f, 2f, 3f]));
        data[30] ^= 0x01;

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(data, "model.bpnn", CheckpointKind.Model));

        Assert.StartsWith("'model.bpnn' is corrupt: checksum ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"computed over bytes 0 to {data.Length - 9}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_should_say_bytes_after_the_end_are_trailing()
    {
        string path = _folder.File("joined.bpnn");
        byte[] one = CheckpointSamples.Bytes();
        File.WriteAllBytes(path, [.. one, .. one]);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path, CheckpointKind.Checkpoint));

        Assert.Equal(
            $"'{path}' has {one.Length} trailing bytes after its end at byte {one.Length}: something was appended to it, or two files were joined.",
            error.Message);
    }

    [Fact]
    public void Parse_should_not_allocate_a_huge_declared_length()
    {
        foreach (ulong declared in new ulong[] { ulong.MaxValue, 1UL << 40, (ulong)int.MaxValue + 1, 100 })
        {
            byte[] data = [.. "BPNN"u8, 1, 0, 1, 0, (byte)'m', 1, 0, (byte)'w', .. new byte[8], 1, 2, 3];
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(12), declared);

            var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(data, "huge", "m"));

            Assert.Equal($"'huge' is truncated: section 'w' declares {declared} bytes of data from byte 20, but only 3 bytes remain.", error.Message);
        }
    }

    [Fact]
    public void Parse_should_say_a_structurally_broken_but_checksummed_file_is_corrupt()
    {
        // Each is well formed up to one rule and carries a valid checksum, as a buggy writer would make it.
        Assert.Equal("'v0' is corrupt: its format version is 0, which no backprop writes.", ParseError("v0", [.. "BPNN"u8, 0, 0]));
        Assert.Equal("'kind' is corrupt: the kind at byte 8 is empty.", ParseError("kind", [.. "BPNN"u8, 1, 0, 0, 0]));
        Assert.Equal(
            "'utf8' is corrupt: the name of section 1 at byte 11 is not valid UTF-8.",
            ParseError("utf8", [.. "BPNN"u8, 1, 0, 1, 0, (byte)'m', 1, 0, 0xC3]));
        Assert.Equal(
            "'twice' is corrupt: section 'w' appears twice (again at byte 20).",
            ParseError("twice", [.. "BPNN"u8, 1, 0, 1, 0, (byte)'m', 1, 0, (byte)'w', .. new byte[8], 1, 0, (byte)'w', .. new byte[8], 0, 0, 2, 0, 0, 0]));
        Assert.Equal(
            "'count' is corrupt: the trailer counts 5 sections but the file holds 0.",
            ParseError("count", [.. "BPNN"u8, 1, 0, 1, 0, (byte)'m', 0, 0, 5, 0, 0, 0]));
    }

    [Fact]
    public void Reader_should_name_the_section_and_the_file_when_a_section_is_missing_or_mistyped()
    {
        var reader = CheckpointFile.Parse(CheckpointSamples.Bytes(), "run.ckpt", CheckpointKind.Checkpoint);

        var missing = Assert.Throws<CheckpointFormatException>(() => reader.Floats("optimizer.v"));
        var notInt64 = Assert.Throws<CheckpointFormatException>(() => reader.Int64("params"));
        var notFloats = Assert.Throws<CheckpointFormatException>(() => reader.Floats("rng"));
        var notDoubles = Assert.Throws<CheckpointFormatException>(() => reader.Doubles("params"));
        var wrongSize = Assert.Throws<CheckpointFormatException>(() => reader.CopyFloats("params", new float[3]));

        Assert.Equal(
            "'run.ckpt' has no section 'optimizer.v'. Its sections are: params, optimizer.m, data.order, step, config, rng, empty.", missing.Message);
        Assert.Equal("Section 'params' of 'run.ckpt' holds 28 bytes, not the 8 of one 64-bit integer.", notInt64.Message);
        Assert.Equal("Section 'rng' of 'run.ckpt' holds 5 bytes, not a whole number of 4-byte float values.", notFloats.Message);
        Assert.Equal("Section 'params' of 'run.ckpt' holds 28 bytes, not a whole number of 8-byte double values.", notDoubles.Message);
        Assert.Equal(
            "Section 'params' of 'run.ckpt' holds 7 floats, but the destination has room for 3: the file was written for a different model.",
            wrongSize.Message);
    }

    [Fact]
    public void Reader_should_say_a_section_is_not_text()
    {
        var reader = CheckpointFile.Parse(CheckpointFile.Bytes("m", w => w.Add("t", [0xFF])), "t.bpnn", "m");
        var empty = CheckpointFile.Parse(CheckpointFile.Bytes("m", _ => { }), "e.bpnn", "m");

        Assert.Equal("Section 't' of 't.bpnn' is not valid UTF-8 text.", Assert.Throws<CheckpointFormatException>(() => reader.String("t")).Message);
        Assert.Equal(
            "'e.bpnn' has no section 'x'. It has no sections at all.", Assert.Throws<CheckpointFormatException>(() => empty.Bytes("x").ToArray()).Message);
    }

    /// <summary>Appends a correct checksum to <paramref name="body"/> and returns the message of parsing it.</summary>
    private static string ParseError(string name, byte[] body)
    {
        byte[] data = [.. body, .. new byte[8]];
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(body.Length), Crc64.HashToUInt64(body));
        return Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Parse(data, name, "m")).Message;
    }
}
