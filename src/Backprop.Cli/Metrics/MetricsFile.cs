using System.Text.Json;
using Backprop.Cli.Rendering;
using Backprop.Cli.Runs;

namespace Backprop.Cli.Metrics;

/// <summary>Reads a run's <c>metrics.jsonl</c> and cuts it back to a resumed step.</summary>
internal static class MetricsFile
{
    /// <summary>The metrics file of a run folder.</summary>
    /// <param name="runDirectory">The run folder.</param>
    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, RunArtifacts.Metrics);

    /// <summary>
    /// The lines of a run's metrics, in file order. A line that does not parse (the half-written last
    /// line of a killed process) is skipped; of several epoch lines for one epoch (a run resumed
    /// from a checkpoint taken before that epoch's evaluation) the last is kept.
    /// </summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <returns>The lines.</returns>
    /// <exception cref="FileNotFoundException">The folder has no metrics file.</exception>
    public static IReadOnlyList<MetricsLine> Read(string runDirectory)
    {
        string path = PathIn(runDirectory);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{runDirectory}: the run folder has no {RunArtifacts.Metrics}; it is written by train and coordinator runs of this version, so an older run cannot be reported on.",
                path);
        }

        return Parse(File.ReadLines(path));
    }

    /// <summary>Parses metrics lines; see <see cref="Read"/>.</summary>
    /// <param name="lines">The text lines.</param>
    /// <returns>The lines that parse, epoch lines made unique by epoch.</returns>
    public static IReadOnlyList<MetricsLine> Parse(IEnumerable<string> lines)
    {
        var parsed = new List<MetricsLine>();
        foreach (string text in lines)
        {
            if (TryParse(text) is { } line)
            {
                if (line.Kind == MetricsLine.EpochKind)
                {
                    parsed.RemoveAll(l => l.Kind == MetricsLine.EpochKind && l.Epoch == line.Epoch);
                }

                parsed.Add(line);
            }
        }

        return parsed;
    }

    /// <summary>
    /// Keeps only the lines up to <paramref name="step"/> (a resumed run repeats nothing after its
    /// checkpoint, so later lines would describe a trajectory that the curves no longer follow).
    /// The file is replaced atomically.
    /// </summary>
    /// <param name="path">The metrics file; nothing happens if it does not exist.</param>
    /// <param name="step">The step the run resumes after.</param>
    /// <returns>The last kept line's wall seconds, to carry on from; 0 if none.</returns>
    public static double KeepUpTo(string path, long step)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        var kept = File.ReadLines(path).Where(text => TryParse(text) is { } line && line.Step <= step).ToList();
        string temporary = path + ".tmp";
        try
        {
            File.WriteAllLines(temporary, kept);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk: the old file stays whole, and no half-written copy is left beside it.
            File.Delete(temporary);
            throw;
        }

        return kept.Count == 0 ? 0 : TryParse(kept[^1])!.WallS;
    }

    /// <summary>One line, or null if it is blank or not a metrics object.</summary>
    /// <param name="text">The line.</param>
    public static MetricsLine? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, CliJsonContext.Default.MetricsLine);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
