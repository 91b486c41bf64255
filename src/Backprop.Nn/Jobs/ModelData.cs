using Backprop.Nn.Data;
using Backprop.Nn.Persistence;

namespace Backprop.Nn.Jobs;

/// <summary>Data read against a saved model: its features by name, its classes by name, scaled with its scaler.</summary>
public static class ModelData
{
    /// <summary>
    /// A labelled dataset to evaluate <paramref name="model"/> on: a test file or IDX folder (its t10k
    /// files), or <c>builtin:NAME</c> (its test split).
    /// </summary>
    /// <param name="path">The data.</param>
    /// <param name="model">The model.</param>
    /// <param name="target">The CSV target column, if not the one column the model does not take.</param>
    public static Dataset LoadLabeled(string path, SavedModel model, string? target = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        Dataset data;
        if (path.StartsWith(BuiltinDatasets.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var builtin = BuiltinDatasets.Load(path[BuiltinDatasets.Prefix.Length..]);
            data = builtin.Test ?? builtin.Train;
            Check(data, model);
        }
        else
        {
            data = DatasetLoader.LoadLike(path, Template(model), target);
        }

        return model.Scaler.Apply(data);
    }

    /// <summary>An empty-as-possible dataset with the model's features, task and classes, to read files against.</summary>
    /// <param name="model">The model.</param>
    public static Dataset Template(SavedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int features = model.Spec.Inputs;
        return model.Task == TaskKind.Classification
            ? Dataset.Classification("the model", new float[features], features, model.FeatureNames, [0], model.ClassNames)
            : Dataset.Regression("the model", new float[features], features, model.FeatureNames, new float[model.Spec.Outputs], model.Spec.Outputs);
    }

    private static void Check(Dataset data, SavedModel model)
    {
        if (data.FeatureCount != model.Spec.Inputs || data.Task != model.Task || !data.ClassNames.SequenceEqual(model.ClassNames))
        {
            throw new DataFormatException(
                data.Source, string.Empty, $"it has {data.FeatureCount} features and {data.ClassCount} classes; the model takes {model.Spec.Inputs} features and predicts {model.ClassNames.Count} classes.");
        }
    }
}
