using System.Collections.ObjectModel;

namespace Backprop.Nn.Data;

/// <summary>
/// Samples in memory: a row-major feature matrix plus either class labels or regression targets.
/// Built by the readers (<see cref="IdxReader"/>, <see cref="CsvDatasetReader"/>) or by
/// <see cref="Classification"/> / <see cref="Regression"/>; immutable once built.
/// </summary>
/// <remarks>
/// The arrays are taken over, not copied (a 60000×784 image set is 188 MB): whoever builds a dataset
/// hands its arrays to it and never writes them again, and readers of <see cref="Features"/>,
/// <see cref="Labels"/> and <see cref="Targets"/> treat them as read-only.
/// </remarks>
public sealed class Dataset
{
    private Dataset(
        string source,
        TaskKind task,
        float[] features,
        int featureCount,
        IReadOnlyList<string> featureNames,
        int[] labels,
        IReadOnlyList<string> classNames,
        float[] targets,
        int targetCount,
        int count)
    {
        Source = source;
        Task = task;
        Features = features;
        FeatureCount = featureCount;
        FeatureNames = featureNames;
        Labels = labels;
        ClassNames = classNames;
        Targets = targets;
        TargetCount = targetCount;
        Count = count;
    }

    /// <summary>Where the data came from, for messages: a file path or <c>builtin:NAME</c>.</summary>
    public string Source { get; }

    /// <summary>Number of samples (rows).</summary>
    public int Count { get; }

    /// <summary>Number of features per sample (columns of <see cref="Features"/>).</summary>
    public int FeatureCount { get; }

    /// <summary>Features, <see cref="Count"/>×<see cref="FeatureCount"/> row-major, raw or scaled as built.</summary>
    public float[] Features { get; }

    /// <summary>Feature names: <c>pixel0</c>.. for images, the CSV header names otherwise.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task { get; }

    /// <summary>Class index per sample in [0, <see cref="ClassCount"/>); empty for regression.</summary>
    public int[] Labels { get; }

    /// <summary>Class index → class name; empty for regression.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes; 0 for regression.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Targets, <see cref="Count"/>×<see cref="TargetCount"/> row-major; empty for classification.</summary>
    public float[] Targets { get; }

    /// <summary>Targets per sample; 0 for classification.</summary>
    public int TargetCount { get; }

    /// <summary>A classification dataset; takes over the arrays.</summary>
    /// <param name="source">Where the data came from, for messages.</param>
    /// <param name="features">Count×featureCount features, row-major.</param>
    /// <param name="featureCount">Features per sample, at least 1.</param>
    /// <param name="featureNames">One name per feature.</param>
    /// <param name="labels">One class index per sample, each in [0, classNames.Count).</param>
    /// <param name="classNames">Class index → name; at least one class.</param>
    /// <exception cref="ArgumentException">The lengths disagree or a label is out of range.</exception>
    public static Dataset Classification(
        string source,
        float[] features,
        int featureCount,
        IReadOnlyList<string> featureNames,
        int[] labels,
        IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        CheckFeatures(source, features, featureCount, featureNames, labels.Length);
        if (classNames.Count == 0)
        {
            throw new ArgumentException($"{source}: a classification dataset needs at least one class name.", nameof(classNames));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
            {
                throw new ArgumentException(
                    $"{source}: label {labels[i]} of sample {i} is outside [0, {classNames.Count}) for {classNames.Count} classes.",
                    nameof(labels));
            }
        }

        return new Dataset(
            source, TaskKind.Classification, features, featureCount, Freeze(featureNames),
            labels, Freeze(classNames), [], 0, labels.Length);
    }

    /// <summary>A regression dataset; takes over the arrays.</summary>
    /// <param name="source">Where the data came from, for messages.</param>
    /// <param name="features">Count×featureCount features, row-major.</param>
    /// <param name="featureCount">Features per sample, at least 1.</param>
    /// <param name="featureNames">One name per feature.</param>
    /// <param name="targets">Count×targetCount targets, row-major.</param>
    /// <param name="targetCount">Targets per sample, at least 1.</param>
    /// <exception cref="ArgumentException">The lengths disagree.</exception>
    public static Dataset Regression(
        string source,
        float[] features,
        int featureCount,
        IReadOnlyList<string> featureNames,
        float[] targets,
        int targetCount)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 1);
        if (targets.Length % targetCount != 0)
        {
            throw new ArgumentException(
                $"{source}: {targets.Length} targets are not a whole number of rows of {targetCount}.", nameof(targets));
        }

        int count = targets.Length / targetCount;
        CheckFeatures(source, features, featureCount, featureNames, count);
        return new Dataset(
            source, TaskKind.Regression, features, featureCount, Freeze(featureNames),
            [], Array.Empty<string>(), targets, targetCount, count);
    }

    /// <summary>A new dataset holding copies of the rows at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Row indices in [0, <see cref="Count"/>); repeats are allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset.</exception>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        var features = new float[checked(indices.Length * FeatureCount)];
        var labels = Task == TaskKind.Classification ? new int[indices.Length] : [];
        var targets = Task == TaskKind.Regression ? new float[checked(indices.Length * TargetCount)] : [];
        for (int i = 0; i < indices.Length; i++)
        {
            int row = indices[i];
            if ((uint)row >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), row, $"{Source}: row index at position {i} is outside [0, {Count}).");
            }

            Features.AsSpan(row * FeatureCount, FeatureCount).CopyTo(features.AsSpan(i * FeatureCount));
            if (Task == TaskKind.Classification)
            {
                labels[i] = Labels[row];
            }
            else
            {
                Targets.AsSpan(row * TargetCount, TargetCount).CopyTo(targets.AsSpan(i * TargetCount));
            }
        }

        return new Dataset(
            Source, Task, features, FeatureCount, FeatureNames, labels, ClassNames, targets, TargetCount, indices.Length);
    }

    /// <summary>The same samples with other features (e.g. scaled ones); labels and targets are shared.</summary>
    /// <param name="features">Count×FeatureCount features, row-major; taken over.</param>
    /// <exception cref="ArgumentException">The length is not Count×FeatureCount.</exception>
    public Dataset WithFeatures(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length != (long)Count * FeatureCount)
        {
            throw new ArgumentException(
                $"{Source}: expected {(long)Count * FeatureCount} features ({Count}×{FeatureCount}), got {features.Length}.",
                nameof(features));
        }

        return new Dataset(
            Source, Task, features, FeatureCount, FeatureNames, Labels, ClassNames, Targets, TargetCount, Count);
    }

    private static void CheckFeatures(
        string source, float[] features, int featureCount, IReadOnlyList<string> featureNames, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (features.Length != (long)count * featureCount)
        {
            throw new ArgumentException(
                $"{source}: expected {(long)count * featureCount} features ({count} samples × {featureCount}), got {features.Length}.",
                nameof(features));
        }

        if (featureNames.Count != featureCount)
        {
            throw new ArgumentException(
                $"{source}: expected {featureCount} feature names, got {featureNames.Count}.", nameof(featureNames));
        }
    }

    // A caller's list could change under us, so the factories copy it; derived datasets share the copy.
    private static ReadOnlyCollection<string> Freeze(IReadOnlyList<string> names) => Array.AsReadOnly(names.ToArray());
}
