using Backprop.Nn.Data;

namespace Backprop.Nn.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_reader_should_read_images_and_labels_as_raw_pixel_features(bool gzip)
    {
        var images = IdxBytes.Images(count: 3, rows: 2, columns: 2);
        var labels = IdxBytes.Labels(4, 0, 2);
        string imagesPath = _folder.Write("images", gzip ? IdxBytes.Gzip(images) : images);
        string labelsPath = _folder.Write("labels", gzip ? IdxBytes.Gzip(labels) : labels);

        var data = IdxReader.Read(imagesPath, labelsPath);

        Assert.Equal(imagesPath, data.Source);
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(3, data.Count);
        Assert.Equal(4, data.FeatureCount);
        Assert.Equal(["pixel0", "pixel1", "pixel2", "pixel3"], data.FeatureNames);
        Assert.Equal([0f, 1, 2, 3, 31, 32, 33, 34, 62, 63, 64, 65], data.Features);
        Assert.Equal([4, 0, 2], data.Labels);
        Assert.Equal(["0", "1", "2", "3", "4"], data.ClassNames);
        Assert.Empty(data.Targets);
    }

    [Fact]
    public void Idx_reader_should_detect_gzip_by_its_magic_not_by_the_file_name()
    {
        string compressedWithoutSuffix = _folder.Write("images-idx3-ubyte", IdxBytes.Gzip(IdxBytes.Images(2, 3, 3)));
        string rawWithGzSuffix = _folder.Write("labels-idx1-ubyte.gz", IdxBytes.Labels(1, 1));

        var data = IdxReader.Read(compressedWithoutSuffix, rawWithGzSuffix);

        Assert.Equal(2, data.Count);
        Assert.Equal(9, data.FeatureCount);
    }

    [Fact]
    public void Idx_reader_should_use_the_class_names_the_caller_gives()
    {
        string images = _folder.Write("images", IdxBytes.Images(2, 1, 1));
        string labels = _folder.Write("labels", IdxBytes.Labels(9, 0));

        var data = IdxReader.Read(images, labels, ClassNames.FashionMnist);

        Assert.Equal(10, data.ClassCount);
        Assert.Equal("Ankle boot", data.ClassNames[data.Labels[0]]);
        Assert.Equal("T-shirt/top", data.ClassNames[data.Labels[1]]);
    }

    [Fact]
    public void Idx_reader_should_reject_a_file_that_is_not_idx_naming_the_magic_found_and_expected()
    {
        string path = _folder.WriteText("train.csv", "hello,world\n1,2\n");

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal("byte 0", error.Location);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not an IDX file", error.Message, StringComparison.Ordinal);
        Assert.Contains("0x68656C6C", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected the magic number 0x00000803", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_an_unsupported_element_type_naming_it()
    {
        string path = _folder.Write("floats", [.. IdxBytes.Header(0x00000D03, 1, 1, 1), 0, 0, 0, 0]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal("byte 2", error.Location);
        Assert.Contains("element type 0x0D (32-bit float)", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 0x08 (unsigned byte)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_a_labels_file_given_as_images_naming_the_dimensions()
    {
        string path = _folder.Write("t10k-labels-idx1-ubyte", IdxBytes.Labels(1, 2, 3));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal("byte 3", error.Location);
        Assert.Contains("declares 1 dimension (this looks like a labels file, not an images file)", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_a_truncated_file_naming_the_byte_counts()
    {
        var full = IdxBytes.Images(10, 28, 28);
        string path = _folder.Write("train-images-idx3-ubyte", full[..(16 + 1000)]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal("byte 16", error.Location);
        Assert.Contains("shorter than its header says", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "expected 7840 bytes of data after the header (10 images of 28×28 pixels), found 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_a_file_longer_than_its_header_says()
    {
        string path = _folder.Write("images", [.. IdxBytes.Images(10, 28, 28), .. new byte[10]]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("longer than its header says", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 7840 bytes of data after the header", error.Message, StringComparison.Ordinal);
        Assert.Contains("found 7850, 10 bytes too many", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_a_truncated_gzip_file_saying_it_was_cut_short()
    {
        var compressed = IdxBytes.Gzip(IdxBytes.Images(50, 28, 28));
        string path = _folder.Write("images.gz", compressed[..(compressed.Length / 2)]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal("byte 16", error.Location);
        Assert.Contains("the gzip data is truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 39200 bytes of data after the header (50 images of 28×28 pixels), found ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_call_an_intact_gzip_of_a_short_file_short_not_truncated()
    {
        string path = _folder.Write("images.gz", IdxBytes.Gzip(IdxBytes.Images(10, 28, 28)[..(16 + 1000)]));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("shorter than its header says", error.Message, StringComparison.Ordinal);
        Assert.Contains("found 1000", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_corrupt_gzip_data()
    {
        // A gzip header, then a deflate block of the reserved type 11: no inflater accepts it.
        string path = _folder.Write("images.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 0x07, 0, 0, 0, 0, 0, 0, 0]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("the gzip data is corrupt", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected a gzip-compressed IDX file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_a_file_that_ends_inside_the_header()
    {
        string path = _folder.Write("images", IdxBytes.Images(1, 2, 2)[..10]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal("byte 10", error.Location);
        Assert.Contains("ends after 10 bytes, inside the IDX header; expected 16 header bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_an_empty_file()
    {
        string path = _folder.Write("labels", []);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("the file is empty; expected an IDX file starting with the magic number 0x00000801", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_images_without_rows()
    {
        string path = _folder.Write("images", IdxBytes.Header(IdxBytes.ImagesMagic, 5, 0, 28));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal("byte 8", error.Location);
        Assert.Contains("dimension 1 (rows) has size 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_different_image_and_label_counts_naming_both_files()
    {
        string images = _folder.Write("train-images-idx3-ubyte", IdxBytes.Images(4, 2, 2));
        string labels = _folder.Write("train-labels-idx1-ubyte", IdxBytes.Labels(1, 2, 3));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains("has 3 labels but the images file", error.Message, StringComparison.Ordinal);
        Assert.Contains(images, error.Message, StringComparison.Ordinal);
        Assert.Contains("has 4 images; expected one label per image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_reject_a_label_without_a_class_name()
    {
        string images = _folder.Write("images", IdxBytes.Images(2, 1, 1));
        string labels = _folder.Write("labels", IdxBytes.Labels(3, 10));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels, ClassNames.FashionMnist));

        Assert.Equal("label 1 (byte 9)", error.Location);
        Assert.Contains("label 10 has no class; expected 0 to 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Idx_reader_should_read_from_streams_and_leave_them_open()
    {
        using var images = new MemoryStream(IdxBytes.Gzip(IdxBytes.Images(2, 2, 2)));
        using var labels = new MemoryStream(IdxBytes.Labels(0, 1));

        var data = IdxReader.Read(images, "mem:images", labels, "mem:labels");

        Assert.Equal("mem:images", data.Source);
        Assert.Equal(2, data.Count);
        Assert.True(images.CanRead && labels.CanRead);
    }

    [Fact]
    public void Idx_reader_should_read_the_real_fashion_mnist_test_set()
    {
        var data = IdxReader.Read(
            SystemFashionMnist.File("t10k-images-idx3-ubyte.gz"),
            SystemFashionMnist.File("t10k-labels-idx1-ubyte.gz"),
            ClassNames.FashionMnist);

        Assert.Equal(10000, data.Count);
        Assert.Equal(784, data.FeatureCount);
        Assert.Equal("pixel783", data.FeatureNames[783]);
        Assert.Equal([9, 2, 1, 1, 6, 1, 4, 6, 5, 7], data.Labels[..10]);
        Assert.Equal("Ankle boot", data.ClassNames[data.Labels[0]]);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, data.Labels.Count(l => l == c)));
        Assert.Equal(0f, data.Features.Min());
        Assert.Equal(255f, data.Features.Max());
    }
}
