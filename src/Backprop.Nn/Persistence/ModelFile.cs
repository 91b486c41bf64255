using Backprop.Nn.Checkpoints;
using Backprop.Nn.Data;
using Backprop.Nn.Parameters;

namespace Backprop.Nn.Persistence;

/// <summary>Reads and writes <see cref="SavedModel"/>s: the container of <see cref="CheckpointFile"/>, kind "model".</summary>
public static class ModelFile
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="model">The model.</param>
    public static void Save(string path, SavedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckpointFile.WriteAtomic(path, CheckpointKind.Model, writer => Write(writer, model));
    }

    /// <summary>Reads a model file, checking its structure, checksum and contents.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="CheckpointFormatException">Not a readable model file; the message says why.</exception>
    public static SavedModel Load(string path) => Read(CheckpointFile.Read(path, CheckpointKind.Model));

    /// <summary>The model's sections; a checkpoint carries the same ones.</summary>
    /// <param name="writer">The file being written.</param>
    /// <param name="model">The model.</param>
    internal static void Write(CheckpointWriter writer, SavedModel model)
    {
        writer.AddString("architecture", SpecJson.Write(model.Spec));
        writer.AddString("task", model.Task.ToString());
        writer.AddString("classes", SpecJson.WriteNames(model.ClassNames));
        writer.AddString("features", SpecJson.WriteNames(model.FeatureNames));
        writer.AddString("scaling.kind", model.Scaler.Kind.ToString());
        writer.AddFloats("scaling.offset", model.Scaler.Offset);
        writer.AddFloats("scaling.scale", model.Scaler.Scale);
        writer.AddString("config", model.Config);
        writer.AddFloats("parameters", model.Parameters);
    }

    /// <summary>The model in a model or checkpoint file.</summary>
    /// <param name="reader">The verified file.</param>
    internal static SavedModel Read(CheckpointReader reader)
    {
        string source = reader.SourceName;
        var spec = SpecJson.ReadSpec(reader.String("architecture"), source);
        var parameters = reader.Floats("parameters");
        int expected = new ParameterLayout(spec.Widths).Length;
        if (parameters.Length != expected)
        {
            throw new CheckpointFormatException(source, $"{source}: {parameters.Length} parameters stored, but the {spec} architecture has {expected}.");
        }

        if (!Enum.TryParse<TaskKind>(reader.String("task"), out var task) || !Enum.TryParse<ScalingKind>(reader.String("scaling.kind"), out var scaling))
        {
            throw new CheckpointFormatException(source, $"{source}: unknown task or scaling kind.");
        }

        var classes = SpecJson.ReadNames(reader.String("classes"), source);
        var features = SpecJson.ReadNames(reader.String("features"), source);
        FeatureScaler scaler;
        try
        {
            scaler = FeatureScaler.FromArrays(scaling, reader.Floats("scaling.offset"), reader.Floats("scaling.scale"));
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException(source, $"{source}: the feature scaling is unusable ({e.Message}).", e);
        }

        if (features.Length != spec.Inputs || scaler.FeatureCount != spec.Inputs)
        {
            throw new CheckpointFormatException(
                source,
                $"{source}: the model takes {spec.Inputs} inputs but names {features.Length} features and scales {scaler.FeatureCount}.");
        }

        return new SavedModel(spec, parameters, scaler, task, classes, features, reader.String("config"));
    }
}
