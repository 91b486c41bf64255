using Backprop.Nn.Data;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Tests.Data;

public sealed class DatasetLoaderTests : IDisposable
{
    private const string Train = "a,b,label\n1,2,cat\n3,4,dog\n5,6,cat\n";

    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Loader_should_load_a_builtin_dataset_by_name()
    {
        var loaded = DatasetLoader.Load(new DataSettings { Path = "builtin:diabetes" });

        Assert.Equal(442, loaded.Train.Count);
        Assert.Null(loaded.Test);
    }

    [Fact]
    public void Loader_should_reject_an_unknown_builtin_naming_the_key_and_the_choices()
    {
        var error = Assert.Throws<InvalidSettingException>(() => DatasetLoader.Load(new DataSettings { Path = "builtin:iris" }));

        Assert.Equal("backprop.data.path", error.KeyPath);
        Assert.Contains("no builtin dataset \"iris\"; expected one of: builtin:fashion-mnist-small, builtin:diabetes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_name_a_missing_path()
    {
        string path = _folder.File("nowhere.csv");

        var error = Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load(new DataSettings { Path = path }));

        Assert.Contains($"backprop.data.path: {path}: no such file or folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_read_a_folder_of_standard_idx_files_compressed_or_not()
    {
        _folder.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(3, 2, 2)));
        _folder.Write("train-labels-idx1-ubyte", IdxBytes.Labels(0, 1, 2));
        _folder.Write("t10k-images-idx3-ubyte", IdxBytes.Images(2, 2, 2));
        _folder.Write("t10k-labels-idx1-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels(2, 0)));

        var loaded = DatasetLoader.Load(new DataSettings { Path = _folder.Path });

        Assert.Equal(3, loaded.Train.Count);
        Assert.Equal(2, loaded.Test!.Count);
        Assert.Equal([2, 0], loaded.Test.Labels);
        Assert.Equal(loaded.Train.ClassNames, loaded.Test.ClassNames);
    }

    [Fact]
    public void Loader_should_list_what_a_folder_lacks_and_what_it_has()
    {
        _folder.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(1, 1, 1)));
        _folder.WriteText("notes.txt", "hi");

        var error = Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load(new DataSettings { Path = _folder.Path }));

        Assert.Contains($"the folder {_folder.Path} lacks IDX files", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]", error.Message, StringComparison.Ordinal);
        Assert.Contains("The folder has: notes.txt, train-images-idx3-ubyte.gz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_find_the_labels_of_an_images_file_by_the_standard_naming()
    {
        string images = _folder.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(2, 2, 2)));
        _folder.Write("train-labels-idx1-ubyte", IdxBytes.Labels(1, 0));

        var loaded = DatasetLoader.Load(new DataSettings { Path = images });

        Assert.Equal([1, 0], loaded.Train.Labels);
        Assert.Null(loaded.Test);
    }

    [Fact]
    public void Loader_should_name_the_labels_file_it_expected_beside_an_images_file()
    {
        string images = _folder.Write("t10k-images-idx3-ubyte", IdxBytes.Images(2, 2, 2));

        var error = Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load(new DataSettings { Path = images }));

        Assert.Contains($"expected {_folder.File("t10k-labels-idx1-ubyte")} or {_folder.File("t10k-labels-idx1-ubyte")}.gz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_read_a_csv_and_its_test_file_against_the_training_columns()
    {
        string train = _folder.WriteText("train.csv", Train);
        string test = _folder.WriteText("test.csv", "label,b,a\ndog,20,10\n");

        var loaded = DatasetLoader.Load(new DataSettings { Path = train, TestPath = test });

        Assert.Equal(["cat", "dog"], loaded.Train.ClassNames);
        Assert.Equal([10f, 20], loaded.Test!.Features);
        Assert.Equal([1], loaded.Test.Labels);
    }

    [Fact]
    public void Loader_should_apply_target_task_and_max_classes_to_csv_files()
    {
        string path = _folder.WriteText("numbers.csv", "a,b,y\n1,2,1\n3,4,2\n5,6,3\n");

        var byTarget = DatasetLoader.Load(new DataSettings { Path = path, Target = "a" }).Train;
        var byTask = DatasetLoader.Load(new DataSettings { Path = path, Task = TaskKind.Regression }).Train;
        var byMaxClasses = DatasetLoader.Load(new DataSettings { Path = path, MaxClasses = 2 }).Train;

        Assert.Equal(["b", "y"], byTarget.FeatureNames);
        Assert.Equal(TaskKind.Regression, byTask.Task);
        Assert.Equal(TaskKind.Regression, byMaxClasses.Task);
    }

    [Fact]
    public void Loader_should_reject_a_test_file_class_unseen_in_training()
    {
        string train = _folder.WriteText("train.csv", Train);
        string test = _folder.WriteText("test.csv", "a,b,label\n1,2,cat\n3,4,bird\n");

        var error = Assert.Throws<DataFormatException>(() => DatasetLoader.Load(new DataSettings { Path = train, TestPath = test }));

        Assert.Equal(test, error.FilePath);
        Assert.Contains("line 3, column \"label\": class \"bird\" was not in the training data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_name_a_missing_test_file()
    {
        string train = _folder.WriteText("train.csv", Train);
        string test = _folder.File("test.csv");

        var error = Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load(new DataSettings { Path = train, TestPath = test }));

        Assert.Contains($"backprop.data.test-path: {test}: no such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_read_labelled_data_like_a_training_set_from_csv_idx_file_or_folder()
    {
        var csvTrain = CsvDatasetReader.Read(_folder.WriteText("train.csv", Train));
        string csv = _folder.WriteText("eval.csv", "b,label,a\n2,cat,1\n");
        var idxTrain = Dataset.Classification("the model", new float[4], 4, IdxReader.PixelNames(4), [0], ClassNames.Numbered(3));
        string images = _folder.Write("t10k-images-idx3-ubyte", IdxBytes.Images(2, 2, 2));
        _folder.Write("t10k-labels-idx1-ubyte", IdxBytes.Labels(2, 1));

        var fromCsv = DatasetLoader.LoadLike(csv, csvTrain);
        var fromFile = DatasetLoader.LoadLike(images, idxTrain);
        var fromFolder = DatasetLoader.LoadLike(_folder.Path, idxTrain);

        Assert.Equal([1f, 2], fromCsv.Features);
        Assert.Equal([2, 1], fromFile.Labels);
        Assert.Equal(fromFile.Features, fromFolder.Features);
        var tooFewClasses = Dataset.Classification("the model", new float[4], 4, IdxReader.PixelNames(4), [0], ClassNames.Numbered(2));
        Assert.Contains("label 2 has no class", Assert.Throws<DataFormatException>(
            () => DatasetLoader.LoadLike(images, tooFewClasses)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_read_prediction_features_from_csv_by_name_and_from_idx_images()
    {
        string csv = _folder.WriteText("input.csv", "label,b,a\n?,2,1\n?,4,3\n");
        string idx = _folder.Write("input-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(3, 2, 2)));

        var (csvFeatures, csvCount) = DatasetLoader.LoadFeaturesForPrediction(csv, ["a", "b"], 2);
        var (idxFeatures, idxCount) = DatasetLoader.LoadFeaturesForPrediction(idx, IdxReader.PixelNames(4), 4);

        Assert.Equal([1f, 2, 3, 4], csvFeatures);
        Assert.Equal(2, csvCount);
        Assert.Equal(3, idxCount);
        Assert.Equal(12, idxFeatures.Length);
        var error = Assert.Throws<DataFormatException>(() => DatasetLoader.LoadFeaturesForPrediction(idx, IdxReader.PixelNames(784), 784));
        Assert.Contains("the images are 2×2 = 4 pixels; expected 784 features", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_should_read_the_real_fashion_mnist_folder()
    {
        SystemFashionMnist.File("train-images-idx3-ubyte.gz");

        var loaded = DatasetLoader.Load(new DataSettings { Path = SystemFashionMnist.Folder });

        Assert.Equal(60000, loaded.Train.Count);
        Assert.Equal(10000, loaded.Test!.Count);
        Assert.Equal(10, loaded.Train.ClassCount);
        Assert.Equal([9, 0, 0, 3, 0], loaded.Train.Labels[..5]);
    }
}
