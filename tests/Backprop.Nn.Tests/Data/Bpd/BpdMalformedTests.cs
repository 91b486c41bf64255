using Backprop.Nn.Data;
using Backprop.Nn.Data.Bpd;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Tests.Data.Bpd;

public sealed class BpdMalformedTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly string _path;
    private readonly byte[] _good;

    public BpdMalformedTests()
    {
        _path = _folder.File("d.bpd");
        BpdWriter.Write(BuiltinDatasets.Load(BuiltinDatasets.Diabetes).Train, _path, overwrite: false);
        _good = File.ReadAllBytes(_path);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reader_should_refuse_a_wrong_magic_naming_the_file()
    {
        var bytes = (byte[])_good.Clone();
        bytes[0] = (byte)'X';

        var error = Refused(bytes);

        Assert.Equal("byte 0", error.Location);
        Assert.Contains("expected the .bpd magic", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(_path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_refuse_a_csv_file_named_bpd()
    {
        var error = Refused("a,b\n1,2\n"u8.ToArray());

        Assert.Contains("expected the .bpd magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_refuse_an_empty_file()
    {
        var error = Refused([]);

        Assert.Contains("found an empty file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(100)]
    [InlineData(-1)]
    public void Reader_should_refuse_a_truncated_file_saying_so(int keep)
    {
        var error = Refused(_good[..(keep < 0 ? _good.Length - 1 : keep)]);

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_refuse_trailing_bytes()
    {
        var error = Refused([.. _good, 0]);

        Assert.Contains("has trailing bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_refuse_a_corrupt_header_by_its_checksum()
    {
        var bytes = (byte[])_good.Clone();
        bytes[BpdFormat.FixedHeaderBytes + 4] ^= 1;

        var error = Refused(bytes);

        Assert.Contains("the header is corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_refuse_a_corrupt_body_by_its_checksum()
    {
        var bytes = (byte[])_good.Clone();
        bytes[^3] ^= 0x40;

        var error = Refused(bytes);

        Assert.Contains("the data is corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_refuse_another_format_version()
    {
        var bytes = (byte[])_good.Clone();
        bytes[8] = 2;

        var error = Refused(bytes);

        Assert.Equal("byte 8", error.Location);
        Assert.Contains("format version 2; this build reads version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_refuse_a_task_setting_the_file_contradicts()
    {
        var error = Assert.Throws<InvalidSettingException>(
            () => DatasetLoader.Load(new DataSettings { Path = _path, Task = TaskKind.Classification }));

        Assert.Equal("backprop.data.task", error.KeyPath);
    }

    [Fact]
    public void Loader_should_refuse_a_test_file_of_other_features()
    {
        string other = _folder.File("other.bpd");
        BpdWriter.Write(BuiltinDatasets.Load(BuiltinDatasets.FashionMnistSmall).Test!, other, overwrite: false);

        var error = Assert.Throws<DataFormatException>(
            () => DatasetLoader.Load(new DataSettings { Path = _path, TestPath = other }));

        Assert.StartsWith(other, error.Message, StringComparison.Ordinal);
    }

    private DataFormatException Refused(byte[] bytes)
    {
        File.WriteAllBytes(_path, bytes);
        var error = Assert.Throws<DataFormatException>(() => BpdReader.Read(_path));
        Assert.Equal(_path, error.FilePath);
        return error;
    }
}
