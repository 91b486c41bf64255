using System.Text.Json;
using Backprop.Nn.Checkpoints;
using Backprop.Nn.Jobs;
using Backprop.Nn.Parameters;
using Backprop.Nn.Persistence;

namespace Backprop.Cli.Runs;

/// <summary>
/// What <c>backprop info</c> shows about a model file: the model itself, the container's format version, and
/// the run's final summary when the file sits in a run folder.
/// </summary>
/// <param name="Path">The model file.</param>
/// <param name="FormatVersion">The container format version the file was written in.</param>
/// <param name="Model">The loaded model.</param>
/// <param name="ParameterCount">Weights and biases.</param>
/// <param name="RunSummary">The run folder's <c>summary.json</c>, or null when there is none.</param>
/// <param name="RunSummaryProblem">Why a <c>summary.json</c> beside the model could not be read, or null.</param>
internal sealed record ModelInfo(string Path, int FormatVersion, SavedModel Model, int ParameterCount, JsonElement? RunSummary, string? RunSummaryProblem)
{
    /// <summary>Loads the model named by <paramref name="modelArgument"/> (a file or a run folder).</summary>
    /// <param name="modelArgument">As given to <c>--model</c>.</param>
    /// <remarks>
    /// Format version 1 is the only one there has been (<c>CheckpointFormat.Version</c>), so there are no older
    /// model files to convert: every model file ever written loads as it is. A file from a newer build is refused
    /// by the reader with a message that names its version and says to upgrade.
    /// </remarks>
    public static ModelInfo Load(string modelArgument)
    {
        string path = LocalTrainingJob.ResolveModelPath(modelArgument);

        // The container is read twice (once for its version, once as a model): model files are small, and this
        // keeps the version out of SavedModel, which is about the model and not about the file it came from.
        int version = CheckpointFile.Read(path, CheckpointKind.Model).FormatVersion;
        var model = ModelFile.Load(path);
        var (summary, problem) = ReadSummary(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, RunFiles.Summary));
        return new ModelInfo(path, version, model, new ParameterLayout(model.Spec.Widths).Length, summary, problem);
    }

    private static (JsonElement? Summary, string? Problem) ReadSummary(string path)
    {
        if (!File.Exists(path))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (null, $"{path} is not a JSON object");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // The model is fine without it: show the rest and say why the metrics are missing.
            return (null, $"{path} is unreadable ({e.Message})");
        }
    }
}
