namespace Backprop.Nn.Data.Bpd;

/// <summary>
/// Reads a <c>.bpd</c> file into a <see cref="Dataset"/>: maps it, checks the header and the body
/// checksum, and copies the rows out of the mapping into the arrays the trainer reads.
/// </summary>
public static class BpdReader
{
    /// <summary>Reads the whole file; its rows come back raw, as the source readers gave them.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a valid .bpd file, is truncated or corrupt, or does not fit in one array.</exception>
    public static Dataset Read(string path)
    {
        using var file = MappedBpdFile.Open(path);
        var header = file.Header;
        if (header.RowCount * header.FeatureCount > Array.MaxLength || header.RowCount * Math.Max(1, header.TargetCount) > Array.MaxLength)
        {
            throw new DataFormatException(path, "byte 24",
                $"{header.RowCount} rows of {header.FeatureCount} features are more than one in-memory array holds ({Array.MaxLength} elements); " +
                "this build copies the rows into memory to train.");
        }

        file.VerifyBody();
        var features = GC.AllocateUninitializedArray<float>((int)(header.RowCount * header.FeatureCount));
        file.CopyFeatures(features);
        try
        {
            if (header.Task == TaskKind.Classification)
            {
                var labels = GC.AllocateUninitializedArray<int>((int)header.RowCount);
                file.CopyLabels(labels);
                return Dataset.Classification(path, features, header.FeatureCount, header.FeatureNames, labels, header.ClassNames);
            }

            var targets = GC.AllocateUninitializedArray<float>((int)(header.RowCount * header.TargetCount));
            file.CopyTargets(targets);
            return Dataset.Regression(path, features, header.FeatureCount, header.FeatureNames, targets, header.TargetCount);
        }
        catch (ArgumentException e)
        {
            // The checksums passed, so the writer itself stored something a dataset cannot hold (e.g. a label out of range).
            throw new DataFormatException(path, "", e.Message, e);
        }
    }

    /// <summary>
    /// Maps the file and returns a dataset that reads its feature rows in place from the mapping (the page
    /// cache), so it may be larger than memory; labels or targets are copied into memory (4 bytes a row).
    /// The header and the body checksum are verified first.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a valid .bpd file, is truncated or corrupt.</exception>
    public static Dataset Map(string path)
    {
        var file = MappedBpdFile.Open(path);
        try
        {
            var header = file.Header;
            if (header.RowCount > int.MaxValue || header.RowCount * Math.Max(1, header.TargetCount) > Array.MaxLength)
            {
                throw new DataFormatException(path, "byte 24", $"{header.RowCount} rows are more than this build indexes ({int.MaxValue}).");
            }

            file.VerifyBody();
            var labels = header.Task == TaskKind.Classification ? GC.AllocateUninitializedArray<int>((int)header.RowCount) : [];
            var targets = header.Task == TaskKind.Regression ? GC.AllocateUninitializedArray<float>((int)(header.RowCount * header.TargetCount)) : [];
            if (labels.Length > 0)
            {
                file.CopyLabels(labels);
            }
            else
            {
                file.CopyTargets(targets);
            }

            return Dataset.Mapped(path, new MappedFeatureRows(file), header.FeatureNames, labels, header.ClassNames, targets, header.TargetCount);
        }
        catch (ArgumentException e)
        {
            file.Dispose();
            throw new DataFormatException(path, "", e.Message, e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads a test split and checks that it matches its training data: task, features by name and order, classes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="training">The training data (or a model's template of it).</param>
    /// <param name="mapped">Map the rows (<see cref="Map"/>) rather than copy them into memory (<see cref="Read"/>).</param>
    /// <exception cref="DataFormatException">The file is invalid or does not match <paramref name="training"/>.</exception>
    public static Dataset ReadLike(string path, Dataset training, bool mapped = true)
    {
        ArgumentNullException.ThrowIfNull(training);
        var data = mapped ? Map(path) : Read(path);
        if (data.Task != training.Task)
        {
            throw new DataFormatException(path, "byte 16", $"it holds {data.Task} data; the training data {training.Source} is {training.Task}.");
        }

        if (!data.FeatureNames.SequenceEqual(training.FeatureNames, StringComparer.Ordinal))
        {
            throw new DataFormatException(path, "byte 64",
                $"its {data.FeatureCount} features are not those of the training data {training.Source} ({training.FeatureCount}, by name and order).");
        }

        if (!data.ClassNames.SequenceEqual(training.ClassNames, StringComparer.Ordinal) || data.TargetCount != training.TargetCount)
        {
            throw new DataFormatException(path, "byte 32",
                $"its classes or targets ({string.Join(", ", data.ClassNames.Take(5))}) are not those of the training data {training.Source}.");
        }

        return data;
    }
}
