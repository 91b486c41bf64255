namespace Backprop.Nn.Data;

/// <summary>Reads a CSV target column as class labels or as regression targets, and decides which it is.</summary>
internal static class CsvTargets
{
    private const int NamesInMessages = 20;

    /// <summary>
    /// Classification when any value is text, or when every value is an integer and there are at most
    /// <paramref name="maxClasses"/> distinct ones; regression otherwise.
    /// </summary>
    public static TaskKind Decide(CsvTable table, int column, int maxClasses)
    {
        var distinct = new HashSet<double>();
        bool integers = true;
        for (int row = 0; row < table.RowCount; row++)
        {
            string text = Value(table, row, column);
            if (!CsvValues.TryParse(text, out double value))
            {
                return TaskKind.Classification;
            }

            integers &= value == Math.Floor(value);
            distinct.Add(value);
        }

        return integers && distinct.Count <= maxClasses ? TaskKind.Classification : TaskKind.Regression;
    }

    /// <summary>
    /// Class labels for the column: numeric values sorted by value (named as first written), text
    /// sorted ordinally, so the class order depends on the set of values only.
    /// </summary>
    public static (int[] Labels, string[] ClassNames) Classes(CsvTable table, int column)
    {
        var texts = new string[table.RowCount];
        var values = new double[table.RowCount];
        bool numeric = true;
        for (int row = 0; row < texts.Length; row++)
        {
            texts[row] = Value(table, row, column);
            numeric &= CsvValues.TryParse(texts[row], out values[row]);
        }

        var labels = new int[texts.Length];
        if (numeric)
        {
            var firstText = new Dictionary<double, string>();
            for (int row = 0; row < texts.Length; row++)
            {
                firstText.TryAdd(values[row], texts[row]);
            }

            var sorted = firstText.Keys.Order().ToArray();
            var index = sorted.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
            for (int row = 0; row < texts.Length; row++)
            {
                labels[row] = index[values[row]];
            }

            return (labels, sorted.Select(v => firstText[v]).ToArray());
        }

        var names = texts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var byName = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        for (int row = 0; row < texts.Length; row++)
        {
            labels[row] = byName[texts[row]];
        }

        return (labels, names);
    }

    /// <summary>The column as class labels of an existing class list (a test file read against its training file).</summary>
    public static int[] ClassesLike(CsvTable table, int column, IReadOnlyList<string> classNames)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var byValue = new Dictionary<double, int>();
        bool numeric = true;
        for (int i = 0; i < classNames.Count; i++)
        {
            byName.TryAdd(classNames[i], i);
            numeric &= CsvValues.TryParse(classNames[i], out double value) && byValue.TryAdd(value, i);
        }

        var labels = new int[table.RowCount];
        for (int row = 0; row < labels.Length; row++)
        {
            string text = Value(table, row, column);
            if (byName.TryGetValue(text, out int label)
                || (numeric && CsvValues.TryParse(text, out double value) && byValue.TryGetValue(value, out label)))
            {
                labels[row] = label;
                continue;
            }

            string shown = string.Join(", ", classNames.Take(NamesInMessages)) + (classNames.Count > NamesInMessages ? ", ..." : "");
            throw new DataFormatException(table.Source, table.Locate(row, column),
                $"class \"{text}\" was not in the training data; expected one of its {classNames.Count} classes: {shown}.");
        }

        return labels;
    }

    /// <summary>The column as one regression target per row.</summary>
    public static float[] Numbers(CsvTable table, int column)
    {
        var targets = new float[table.RowCount];
        for (int row = 0; row < targets.Length; row++)
        {
            targets[row] = CsvValues.Number(table, row, column);
        }

        return targets;
    }

    private static string Value(CsvTable table, int row, int column)
    {
        string text = table.Field(row, column);
        return CsvValues.IsMissing(text) ? throw CsvValues.Missing(table, row, column) : text.Trim();
    }
}
