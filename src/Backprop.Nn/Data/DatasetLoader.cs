using Backprop.Nn.Data.Bpd;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Data;

/// <summary>
/// Loads the data a run is configured with (<c>backprop.data</c>): a folder of IDX files, an IDX images
/// file, a CSV file, a <c>.bpd</c> file (<see cref="BpdReader"/>) or <c>builtin:NAME</c>, plus an optional
/// separate test file read against the training data. Features come back unscaled; scaling and hold-out splits are the caller's
/// (<see cref="FeatureScaler"/>, <see cref="DataSplit"/>).
/// </summary>
public static class DatasetLoader
{
    private const string PathKey = "backprop.data.path";
    private const string TestPathKey = "backprop.data.test-path";

    /// <summary>Loads the training data and, when there is one, the test data.</summary>
    /// <param name="settings">The data settings; <c>target</c>, <c>task</c> and <c>max-classes</c> apply to CSV files.</param>
    /// <exception cref="InvalidSettingException">A setting is invalid or names an unknown builtin dataset.</exception>
    /// <exception cref="FileNotFoundException">A file or folder does not exist, or a folder lacks the IDX files.</exception>
    /// <exception cref="DataFormatException">A file is malformed or does not match the training data.</exception>
    public static LoadedData Load(DataSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var (train, test) = LoadTrain(settings);
        if (settings.TestPath is not null)
        {
            test = LoadLike(settings.TestPath, train, settings.Target, TestPathKey + ": ");
        }

        return new LoadedData(train, test);
    }

    /// <summary>
    /// Reads labelled data against a training dataset (or a model's template of one): a CSV file with
    /// the same feature columns by name and only known classes, an IDX images file with its labels file,
    /// or a folder holding the t10k pair. Used for <c>test-path</c> and for evaluating a saved model.
    /// </summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="training">The data whose features, task and classes the file must match.</param>
    /// <param name="target">The CSV target column; null for the one column that is not a feature.</param>
    /// <exception cref="FileNotFoundException">The file or folder does not exist, or the folder lacks the t10k files.</exception>
    /// <exception cref="DataFormatException">The data is malformed or does not match <paramref name="training"/>.</exception>
    public static Dataset LoadLike(string path, Dataset training, string? target = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(training);
        return LoadLike(path, training, target, "");
    }

    /// <summary>
    /// Reads the samples to predict for <c>backprop predict --input FILE</c>: a CSV file whose columns
    /// are matched to <paramref name="featureNames"/> by name (a target column may be present and is
    /// ignored), an IDX images file of <paramref name="featureCount"/> pixels per image, or a <c>.bpd</c>
    /// file with the model's features in its order (its labels or targets are ignored).
    /// </summary>
    /// <param name="path">The input file.</param>
    /// <param name="featureNames">The model's feature names, in its order.</param>
    /// <param name="featureCount">The model's number of features.</param>
    /// <returns>Count×featureCount features, unscaled, and the number of samples.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is malformed or does not match the model's features.</exception>
    public static (float[] Features, int Count) LoadFeaturesForPrediction(
        string path, IReadOnlyList<string> featureNames, int featureCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path}: no such file; expected a CSV file with a header or an IDX images file to predict.", path);
        }

        if (BpdFormat.IsBpd(path))
        {
            var data = BpdReader.Read(path);
            return data.FeatureNames.SequenceEqual(featureNames, StringComparer.Ordinal)
                ? (data.Features, data.Count)
                : throw new DataFormatException(path, "byte 64",
                    $"its {data.FeatureCount} features are not the model's {featureCount} (by name and order).");
        }

        if (IdxLayout.IsIdx(path))
        {
            var images = IdxReader.ReadImages(path);
            if (images.PixelsPerImage != featureCount)
            {
                throw new DataFormatException(path, "byte 8",
                    $"the images are {images.Rows}×{images.Columns} = {images.PixelsPerImage} pixels; " +
                    $"expected {featureCount} features, as the model was trained on.");
            }

            return (images.ToFeatures(), images.Count);
        }

        if (featureNames.Count != featureCount)
        {
            throw new ArgumentException(
                $"Expected {featureCount} feature names to match CSV columns by, got {featureNames.Count}.", nameof(featureNames));
        }

        var table = CsvReader.Read(path);
        return (CsvDatasetReader.ReadFeatures(table, featureNames), table.RowCount);
    }

    private static (Dataset Train, Dataset? Test) LoadTrain(DataSettings settings)
    {
        string path = settings.Path;
        if (path.StartsWith(BuiltinDatasets.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            string name = path[BuiltinDatasets.Prefix.Length..];
            if (!BuiltinDatasets.Names.Contains(name))
            {
                throw new InvalidSettingException(PathKey,
                    $"there is no builtin dataset \"{name}\"; expected one of: " +
                    $"{string.Join(", ", BuiltinDatasets.Names.Select(n => BuiltinDatasets.Prefix + n))}.");
            }

            var builtin = BuiltinDatasets.Load(name);
            return (builtin.Train, builtin.Test);
        }

        if (Directory.Exists(path))
        {
            return LoadIdxFolder(path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{PathKey}: {path}: no such file or folder; expected a folder of IDX files, an IDX images file, " +
                $"a .csv file or one of {string.Join(", ", BuiltinDatasets.Names.Select(n => BuiltinDatasets.Prefix + n))}.",
                path);
        }

        if (BpdFormat.IsBpd(path))
        {
            return LoadBpd(path, settings);
        }

        if (IdxLayout.IsIdx(path))
        {
            if (settings.Task == TaskKind.Regression)
            {
                throw new InvalidSettingException("backprop.data.task",
                    $"{path} is IDX image data with class labels; expected classification (or no task) for it.");
            }

            return (IdxReader.Read(path, IdxLayout.LabelsFor(path)), null);
        }

        return (CsvDatasetReader.Read(path, settings.Target, settings.Task, settings.MaxClasses), null);
    }

    // A converted training split brings its converted test split (NAME.test.bpd beside NAME.bpd), as an
    // IDX folder brings its t10k files, so that the .bpd trains exactly as its source did.
    private static (Dataset Train, Dataset? Test) LoadBpd(string path, DataSettings settings)
    {
        var train = BpdReader.Map(path);
        if (settings.Task is { } task && task != train.Task)
        {
            throw new InvalidSettingException("backprop.data.task", $"is {task}, but {path} holds {train.Task} data.");
        }

        string testPath = BpdFormat.TestPathFor(path);
        bool sibling = settings.TestPath is null && File.Exists(testPath) && !PathsEqual(testPath, path);
        return (train, sibling ? BpdReader.ReadLike(testPath, train) : null);
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static (Dataset Train, Dataset? Test) LoadIdxFolder(string folder)
    {
        string? trainImages = IdxLayout.Find(folder, IdxLayout.TrainImages);
        string? trainLabels = IdxLayout.Find(folder, IdxLayout.TrainLabels);
        string? testImages = IdxLayout.Find(folder, IdxLayout.TestImages);
        string? testLabels = IdxLayout.Find(folder, IdxLayout.TestLabels);
        if (trainImages is null || trainLabels is null || (testImages is null) != (testLabels is null))
        {
            throw new FileNotFoundException(
                $"{PathKey}: the folder {folder} lacks IDX files; expected " +
                $"{IdxLayout.Expected(IdxLayout.TrainImages, IdxLayout.TrainLabels)} and optionally the test pair " +
                $"{IdxLayout.Expected(IdxLayout.TestImages, IdxLayout.TestLabels)}. The folder has: {IdxLayout.Listing(folder)}.",
                trainImages is null ? Path.Combine(folder, IdxLayout.TrainImages) : Path.Combine(folder, IdxLayout.TrainLabels));
        }

        var train = IdxReader.Read(trainImages, trainLabels);
        var test = testImages is null ? null : ReadIdxLike(testImages, testLabels!, train);
        return (train, test);
    }

    // keyPrefix names the setting in messages when the path came from one ("backprop.data.test-path: ").
    private static Dataset LoadLike(string path, Dataset train, string? target, string keyPrefix)
    {
        if (Directory.Exists(path))
        {
            string? images = IdxLayout.Find(path, IdxLayout.TestImages);
            string? labels = IdxLayout.Find(path, IdxLayout.TestLabels);
            return images is not null && labels is not null
                ? ReadIdxLike(images, labels, train)
                : throw new FileNotFoundException(
                    $"{keyPrefix}the folder {path} lacks the IDX test files; expected " +
                    $"{IdxLayout.Expected(IdxLayout.TestImages, IdxLayout.TestLabels)}. The folder has: {IdxLayout.Listing(path)}.",
                    Path.Combine(path, images is null ? IdxLayout.TestImages : IdxLayout.TestLabels));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{keyPrefix}{path}: no such file or folder; expected a file in the format of the training data {train.Source}.", path);
        }

        if (BpdFormat.IsBpd(path))
        {
            return BpdReader.ReadLike(path, train);
        }

        return IdxLayout.IsIdx(path)
            ? ReadIdxLike(path, IdxLayout.LabelsFor(path), train)
            : CsvDatasetReader.ReadLike(path, train, target);
    }

    private static Dataset ReadIdxLike(string imagesPath, string labelsPath, Dataset train)
    {
        if (train.Task != TaskKind.Classification)
        {
            throw new DataFormatException(imagesPath, "",
                $"IDX test data has class labels but the training data {train.Source} is a regression table; " +
                "expected a test file in the training data's format.");
        }

        var test = IdxReader.Read(imagesPath, labelsPath, train.ClassNames);
        if (test.FeatureCount != train.FeatureCount)
        {
            throw new DataFormatException(imagesPath, "byte 8",
                $"the images have {test.FeatureCount} pixels; expected {train.FeatureCount} features like the training data {train.Source}.");
        }

        return test;
    }
}
