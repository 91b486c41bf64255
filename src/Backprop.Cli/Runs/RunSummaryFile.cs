using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Nn.Jobs;

namespace Backprop.Cli.Runs;

/// <summary>A run folder's <c>summary.json</c>, as <c>train</c> writes it at the end of a run.</summary>
internal static class RunSummaryFile
{
    /// <summary>The folder's summary; null when it has none or one that does not parse (a write cut short).</summary>
    /// <param name="runDirectory">The run folder.</param>
    public static TrainSummaryJson? TryRead(string runDirectory)
    {
        string path = Path.Combine(runDirectory, RunFiles.Summary);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.TrainSummaryJson) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
