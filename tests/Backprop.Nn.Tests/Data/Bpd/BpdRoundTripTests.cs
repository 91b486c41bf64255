using Backprop.Nn.Data;
using Backprop.Nn.Data.Bpd;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Tests.Data.Bpd;

public sealed class BpdRoundTripTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Bpd_should_round_trip_idx_images_values_labels_and_names()
    {
        _folder.Write("train-images-idx3-ubyte", IdxBytes.Images(3, 2, 2));
        _folder.Write("train-labels-idx1-ubyte", IdxBytes.Labels(0, 9, 2));
        var source = IdxReader.Read(_folder.File("train-images-idx3-ubyte"), _folder.File("train-labels-idx1-ubyte"));
        string path = _folder.File("images.bpd");

        BpdWriter.Write(source, path, overwrite: false);
        var read = BpdReader.Read(path);

        AssertSame(source, read);
        Assert.Equal(path, read.Source);
    }

    [Fact]
    public void Bpd_should_round_trip_a_csv_classification_table_with_unicode_names()
    {
        string csv = _folder.WriteText("t.csv", "höhe,b,label\n1.5,-2,Katze\n3,4e-3,Hund\n5,6,Katze\n");
        var source = CsvDatasetReader.Read(csv);
        string path = _folder.File("t.bpd");

        BpdWriter.Write(source, path, overwrite: false);

        AssertSame(source, BpdReader.Read(path));
    }

    [Fact]
    public void Bpd_should_round_trip_a_regression_table()
    {
        var source = BuiltinDatasets.Load(BuiltinDatasets.Diabetes).Train;
        string path = _folder.File("diabetes.bpd");

        BpdWriter.Write(source, path, overwrite: false);
        var read = BpdReader.Read(path);

        AssertSame(source, read);
        Assert.Equal(TaskKind.Regression, read.Task);
    }

    [Fact]
    public void Bpd_should_align_the_body_and_have_exactly_header_plus_rows_bytes()
    {
        var source = BuiltinDatasets.Load(BuiltinDatasets.Diabetes).Train;
        string path = _folder.File("d.bpd");

        BpdWriter.Write(source, path, overwrite: false);

        long rows = ((long)source.Count * source.FeatureCount * 4) + (source.Count * 4L);
        long length = new FileInfo(path).Length;
        Assert.Equal(0, (length - rows) % BpdFormat.BodyAlignment);
        Assert.True(BpdFormat.IsBpd(path));
    }

    [Fact]
    public void Converter_should_write_the_test_split_beside_the_training_split_and_the_loader_should_find_it()
    {
        string path = _folder.File("fashion.bpd");

        var written = BpdConverter.Convert(new DataSettings { Path = "builtin:fashion-mnist-small" }, path, null, overwrite: false);
        var source = BuiltinDatasets.Load(BuiltinDatasets.FashionMnistSmall);
        var loaded = DatasetLoader.Load(new DataSettings { Path = path });

        Assert.Equal([path, _folder.File("fashion.test.bpd")], written.Select(w => w.Path));
        AssertSame(source.Train, loaded.Train);
        AssertSame(source.Test!, loaded.Test!);
        Assert.True(loaded.Train.IsMapped && loaded.Test!.IsMapped);
    }

    [Fact]
    public void Converter_should_refuse_to_overwrite_without_being_asked_and_write_nothing()
    {
        string path = _folder.File("d.bpd");
        string testPath = _folder.File("d.test.bpd");
        File.WriteAllText(testPath, "keep me");

        var error = Assert.Throws<OutputExistsException>(
            () => BpdConverter.Convert(new DataSettings { Path = "builtin:fashion-mnist-small" }, path, null, overwrite: false));

        Assert.Equal(testPath, error.FilePath);
        Assert.False(File.Exists(path));
        Assert.Equal("keep me", File.ReadAllText(testPath));
        Assert.Empty(Directory.EnumerateFiles(_folder.Path, "*.tmp"));

        BpdConverter.Convert(new DataSettings { Path = "builtin:fashion-mnist-small" }, path, null, overwrite: true);
        Assert.Equal(1000, BpdReader.Read(testPath).Count);
    }

    [Fact]
    public void Prediction_input_should_read_a_bpd_file_with_the_models_features_and_refuse_others()
    {
        var source = BuiltinDatasets.Load(BuiltinDatasets.Diabetes).Train;
        string path = _folder.File("d.bpd");
        BpdWriter.Write(source, path, overwrite: false);

        var (features, count) = DatasetLoader.LoadFeaturesForPrediction(path, source.FeatureNames, source.FeatureCount);
        var error = Assert.Throws<DataFormatException>(
            () => DatasetLoader.LoadFeaturesForPrediction(path, [.. source.FeatureNames.Reverse()], source.FeatureCount));

        Assert.Equal(source.Count, count);
        Assert.Equal(source.Features, features);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    internal static void AssertSame(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.Task, actual.Task);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.FeatureCount, actual.FeatureCount);
        Assert.Equal(expected.FeatureNames, actual.FeatureNames);
        Assert.Equal(expected.ClassNames, actual.ClassNames);
        Assert.Equal(expected.TargetCount, actual.TargetCount);
        var (x, y) = (new float[expected.FeatureCount], new float[actual.FeatureCount]);
        for (int i = 0; i < expected.Count; i++)
        {
            expected.CopyRow(i, x);
            actual.CopyRow(i, y);
            Assert.True(x.AsSpan().SequenceEqual(y), $"features of row {i} differ");
        }

        Assert.Equal(expected.Labels, actual.Labels);
        Assert.True(expected.Targets.AsSpan().SequenceEqual(actual.Targets), "targets differ");
    }
}
