namespace Backprop.Nn.Data;

/// <summary>
/// Turns CSV tables into datasets: every column but the target is a numeric feature; the target is
/// the named column, else the one called <c>label</c> (any case), else the last. A test file is read
/// against its training data: the same feature columns by name (any order) and the same classes.
/// </summary>
public static class CsvDatasetReader
{
    /// <summary>The default of <c>backprop.data.max-classes</c>.</summary>
    public const int DefaultMaxClasses = 50;

    private const string LabelColumn = "label";

    /// <summary>Reads a CSV file as a training dataset.</summary>
    /// <param name="path">The file.</param>
    /// <param name="target">The target column's name; null for <c>label</c>, else the last column.</param>
    /// <param name="task">Forces classification or regression; null decides from the target values.</param>
    /// <param name="maxClasses">A numeric target with more distinct values than this is regression when
    /// <paramref name="task"/> is null.</param>
    /// <exception cref="DataFormatException">The file is malformed or a value is not usable.</exception>
    public static Dataset Read(string path, string? target = null, TaskKind? task = null, int maxClasses = DefaultMaxClasses) =>
        Read(CsvReader.Read(path), target, task, maxClasses);

    /// <summary>Builds a training dataset from a parsed table; see <see cref="Read(string, string?, TaskKind?, int)"/>.</summary>
    /// <param name="table">The table.</param>
    /// <param name="target">The target column's name; null for <c>label</c>, else the last column.</param>
    /// <param name="task">Forces classification or regression; null decides from the target values.</param>
    /// <param name="maxClasses">Most distinct integer values of a numeric target read as classes.</param>
    /// <exception cref="DataFormatException">A value is not usable.</exception>
    public static Dataset Read(CsvTable table, string? target = null, TaskKind? task = null, int maxClasses = DefaultMaxClasses)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxClasses, 1);
        if (table.ColumnCount < 2)
        {
            throw new DataFormatException(table.Source, "line 1",
                $"the file has only the column \"{table.Header[0]}\"; expected at least one feature column and a target column.");
        }

        int targetColumn = target is null ? DefaultTarget(table) : Column(table, target, "the target");
        var featureColumns = Enumerable.Range(0, table.ColumnCount).Where(c => c != targetColumn).ToArray();
        var features = Features(table, featureColumns);
        var featureNames = featureColumns.Select(c => table.Header[c]).ToArray();
        if ((task ?? CsvTargets.Decide(table, targetColumn, maxClasses)) == TaskKind.Classification)
        {
            var (labels, classNames) = CsvTargets.Classes(table, targetColumn);
            return Dataset.Classification(table.Source, features, featureColumns.Length, featureNames, labels, classNames);
        }

        return Dataset.Regression(
            table.Source, features, featureColumns.Length, featureNames, CsvTargets.Numbers(table, targetColumn), 1);
    }

    /// <summary>Reads a CSV test file against its training data (same feature names, same classes).</summary>
    /// <param name="path">The file.</param>
    /// <param name="training">The training dataset whose columns and classes the file must use.</param>
    /// <param name="target">The target column's name; null for the one column that is not a training feature.</param>
    /// <exception cref="DataFormatException">The columns differ, a class is unknown, or a value is not usable.</exception>
    public static Dataset ReadLike(string path, Dataset training, string? target = null) =>
        ReadLike(CsvReader.Read(path), training, target);

    /// <summary>Builds a test dataset from a parsed table against its training data.</summary>
    /// <param name="table">The table.</param>
    /// <param name="training">The training dataset whose columns and classes the table must use.</param>
    /// <param name="target">The target column's name; null for the one column that is not a training feature.</param>
    /// <exception cref="DataFormatException">The columns differ, a class is unknown, or a value is not usable.</exception>
    public static Dataset ReadLike(CsvTable table, Dataset training, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(training);
        var featureColumns = MatchFeatures(table, training.FeatureNames);
        var others = Enumerable.Range(0, table.ColumnCount).Except(featureColumns).ToList();
        int targetColumn = target is null ? -1 : Column(table, target, "the target");
        if (targetColumn < 0 && others.Count == 1)
        {
            targetColumn = others[0];
        }

        others.Remove(targetColumn);
        if (targetColumn < 0 || others.Count > 0)
        {
            string problem = others.Count == 0
                ? "has no target column"
                : $"has column{(others.Count == 1 ? "" : "s")} {Quote(others.Select(c => table.Header[c]))} that the training data does not";
            throw new DataFormatException(table.Source, "line 1",
                $"the file {problem}; expected the {training.FeatureCount} feature columns of the training data " +
                $"{training.Source} (in any order) and one target column.");
        }

        var features = Features(table, featureColumns);
        if (training.Task == TaskKind.Classification)
        {
            var labels = CsvTargets.ClassesLike(table, targetColumn, training.ClassNames);
            return Dataset.Classification(
                table.Source, features, training.FeatureCount, training.FeatureNames, labels, training.ClassNames);
        }

        if (training.TargetCount != 1)
        {
            throw new ArgumentException(
                $"{training.Source} has {training.TargetCount} targets per sample; a CSV file holds one.", nameof(training));
        }

        return Dataset.Regression(
            table.Source, features, training.FeatureCount, training.FeatureNames, CsvTargets.Numbers(table, targetColumn), 1);
    }

    /// <summary>
    /// Features only, for prediction: the columns named <paramref name="featureNames"/>, in that order;
    /// one further column (a target) may be present and is ignored.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="featureNames">The model's feature names.</param>
    /// <returns>RowCount×featureNames.Count features, row-major.</returns>
    /// <exception cref="DataFormatException">A feature column is missing, there are extra columns, or a value is not a number.</exception>
    public static float[] ReadFeatures(CsvTable table, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(featureNames);
        var featureColumns = MatchFeatures(table, featureNames);
        var others = Enumerable.Range(0, table.ColumnCount).Except(featureColumns).ToList();
        if (others.Count > 1)
        {
            throw new DataFormatException(table.Source, "line 1",
                $"the file has columns {Quote(others.Select(c => table.Header[c]))} that the model does not use; " +
                $"expected its {featureNames.Count} feature columns (in any order) and at most one other column (a target, ignored).");
        }

        return Features(table, featureColumns);
    }

    private static int DefaultTarget(CsvTable table)
    {
        int label = table.IndexOf(LabelColumn);
        return label >= 0 ? label : table.ColumnCount - 1;
    }

    private static int Column(CsvTable table, string name, string role)
    {
        int column = table.IndexOf(name);
        return column >= 0 ? column : throw new DataFormatException(table.Source, "line 1",
            $"there is no column \"{name}\" for {role}; expected one of the header's columns: {Quote(table.Header)}.");
    }

    private static int[] MatchFeatures(CsvTable table, IReadOnlyList<string> featureNames)
    {
        var columns = new int[featureNames.Count];
        for (int j = 0; j < columns.Length; j++)
        {
            columns[j] = table.IndexOf(featureNames[j]);
            if (columns[j] < 0)
            {
                var missing = featureNames.Where(n => table.IndexOf(n) < 0).ToList();
                throw new DataFormatException(table.Source, "line 1",
                    $"the header lacks the feature column{(missing.Count == 1 ? "" : "s")} {Quote(missing)}; " +
                    $"expected all {featureNames.Count} feature columns the model was trained on, in any order.");
            }
        }

        return columns;
    }

    private static float[] Features(CsvTable table, int[] columns)
    {
        var features = new float[checked(table.RowCount * columns.Length)];
        for (int row = 0; row < table.RowCount; row++)
        {
            for (int j = 0; j < columns.Length; j++)
            {
                features[(row * columns.Length) + j] = CsvValues.Number(table, row, columns[j]);
            }
        }

        return features;
    }

    private static string Quote(IEnumerable<string> names)
    {
        var list = names.ToList();
        const int Shown = 20;
        return string.Join(", ", list.Take(Shown).Select(n => $"\"{n}\"")) + (list.Count > Shown ? $", ... ({list.Count} in all)" : "");
    }
}
