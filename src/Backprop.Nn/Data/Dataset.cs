using System.Collections.ObjectModel;

namespace Backprop.Nn.Data;

/// <summary>
/// Samples: a row-major feature matrix plus either class labels or regression targets. Built in memory
/// by the readers (<see cref="IdxReader"/>, <see cref="CsvDatasetReader"/>) or by
/// <see cref="Classification"/> / <see cref="Regression"/>, or over a memory-mapped <c>.bpd</c> file
/// (<see cref="IsMapped"/>: rows read with <see cref="CopyRow"/>); immutable once built.
/// </summary>
/// <remarks>
/// The arrays are taken over, not copied (a 60000×784 image set is 188 MB): whoever builds a dataset
/// hands its arrays to it and never writes them again, and readers of <see cref="Features"/>,
/// <see cref="Labels"/> and <see cref="Targets"/> treat them as read-only.
/// </remarks>
public sealed class Dataset
{
    // A mapped dataset (rows not null) keeps its features outside the heap: row i of this dataset is
    // row _rowMap[i] (or i) of _rows, scaled by _scaling as it is copied out. Labels and targets (4 bytes
    // per row) are always in memory.
    private readonly FeatureRows? _rows;
    private readonly int[]? _rowMap;
    private readonly FeatureScaler? _scaling;
    private readonly float[] _features;

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
        int count,
        FeatureRows? rows = null,
        int[]? rowMap = null,
        FeatureScaler? scaling = null)
    {
        _rows = rows;
        _rowMap = rowMap;
        _scaling = scaling;
        Source = source;
        Task = task;
        _features = features;
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
    /// <exception cref="InvalidOperationException">The dataset is <see cref="IsMapped"/>: read it with <see cref="CopyRow"/>.</exception>
    public float[] Features => _rows is null
        ? _features
        : throw new InvalidOperationException($"{Source} is memory-mapped: its features are read row by row (CopyRow), not as one array.");

    /// <summary>Whether the features are read from a mapping (<see cref="FeatureRows"/>) rather than held in <see cref="Features"/>.</summary>
    public bool IsMapped => _rows is not null;

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
        var features = _rows is null ? new float[checked(indices.Length * FeatureCount)] : [];
        var rowMap = _rows is null ? null : new int[indices.Length];
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

            if (rowMap is null)
            {
                _features.AsSpan(row * FeatureCount, FeatureCount).CopyTo(features.AsSpan(i * FeatureCount));
            }
            else
            {
                rowMap[i] = _rowMap is null ? row : _rowMap[row];
            }

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
            Source, Task, features, FeatureCount, FeatureNames, labels, ClassNames, targets, TargetCount, indices.Length, _rows, rowMap, _scaling);
    }

    /// <summary>The same samples with other features (e.g. scaled ones); labels and targets are shared.</summary>
    /// <param name="features">Count×FeatureCount features, row-major; taken over.</param>
    /// <exception cref="ArgumentException">The length is not Count×FeatureCount.</exception>
    public Dataset WithFeatures(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        _ = Features; // a mapped dataset has no array to replace
        if (features.Length != (long)Count * FeatureCount)
        {
            throw new ArgumentException(
                $"{Source}: expected {(long)Count * FeatureCount} features ({Count}×{FeatureCount}), got {features.Length}.",
                nameof(features));
        }

        return new Dataset(
            Source, Task, features, FeatureCount, FeatureNames, Labels, ClassNames, Targets, TargetCount, Count);
    }

    /// <summary>Copies the features of sample <paramref name="index"/>, scaled as this dataset is, into <paramref name="destination"/>.</summary>
    /// <param name="index">In [0, <see cref="Count"/>).</param>
    /// <param name="destination">At least <see cref="FeatureCount"/> floats; the first FeatureCount are written.</param>
    public void CopyRow(int index, Span<float> destination)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{Source}: row index is outside [0, {Count}).");
        }

        if (_rows is null)
        {
            _features.AsSpan(index * FeatureCount, FeatureCount).CopyTo(destination);
            return;
        }

        var row = destination[..FeatureCount];
        _rows.Row(_rowMap is null ? index : _rowMap[index]).CopyTo(row);
        GC.KeepAlive(_rows); // the span pointed into memory that the source unmaps when collected
        _scaling?.Apply(row, FeatureCount);
    }

    /// <summary>
    /// The features of samples [first, first + count), row-major: a view of <see cref="Features"/> when in
    /// memory, else copied (and scaled) into <paramref name="scratch"/>.
    /// </summary>
    /// <param name="first">The first sample.</param>
    /// <param name="count">Samples.</param>
    /// <param name="scratch">count × FeatureCount floats, used only by a mapped dataset.</param>
    internal ReadOnlySpan<float> Rows(int first, int count, Span<float> scratch)
    {
        if (_rows is null)
        {
            return _features.AsSpan(first * FeatureCount, count * FeatureCount);
        }

        for (int r = 0; r < count; r++)
        {
            CopyRow(first + r, scratch.Slice(r * FeatureCount, FeatureCount));
        }

        return scratch[..(count * FeatureCount)];
    }

    /// <summary>
    /// A dataset whose features are rows of <paramref name="rows"/>, read in place; labels or targets in
    /// memory. Exactly one of <paramref name="labels"/> (with class names) or <paramref name="targets"/> is non-empty.
    /// </summary>
    internal static Dataset Mapped(
        string source,
        FeatureRows rows,
        IReadOnlyList<string> featureNames,
        int[] labels,
        IReadOnlyList<string> classNames,
        float[] targets,
        int targetCount)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (featureNames.Count != rows.FeatureCount)
        {
            throw new ArgumentException($"{source}: expected {rows.FeatureCount} feature names, got {featureNames.Count}.", nameof(featureNames));
        }

        bool classification = classNames.Count > 0;
        int count = classification ? labels.Length : targets.Length / Math.Max(1, targetCount);
        if (count != rows.Count || (!classification && (targetCount < 1 || targets.Length != (long)count * targetCount)))
        {
            throw new ArgumentException($"{source}: {rows.Count} feature rows but {count} labels or target rows.", nameof(rows));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
            {
                throw new ArgumentException(
                    $"{source}: label {labels[i]} of sample {i} is outside [0, {classNames.Count}) for {classNames.Count} classes.", nameof(labels));
            }
        }

        return classification
            ? new Dataset(source, TaskKind.Classification, [], rows.FeatureCount, Freeze(featureNames), labels, Freeze(classNames), [], 0, count, rows)
            : new Dataset(source, TaskKind.Regression, [], rows.FeatureCount, Freeze(featureNames), [], Array.Empty<string>(), targets, targetCount, count, rows);
    }

    /// <summary>A mapped dataset with <paramref name="scaling"/> applied to every row read from it.</summary>
    internal Dataset WithScaling(FeatureScaler scaling)
    {
        if (_rows is null || _scaling is not null)
        {
            throw new InvalidOperationException($"{Source}: only raw mapped data takes a scaling to apply per row.");
        }

        return new Dataset(Source, Task, [], FeatureCount, FeatureNames, Labels, ClassNames, Targets, TargetCount, Count, _rows, _rowMap, scaling);
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
