using System.Text.Json;

namespace Backprop.Cli.Sweeps;

/// <summary>A sweep folder's <c>sweep.json</c>, replaced atomically so that a sweep killed at any moment leaves the last whole one.</summary>
internal static class SweepFile
{
    /// <summary>The file's name in the sweep folder.</summary>
    public const string Name = "sweep.json";

    /// <summary>The best trial's resolved configuration, in the sweep folder.</summary>
    public const string BestConfig = "best.conf";

    /// <summary>The file in <paramref name="sweepDirectory"/>.</summary>
    public static string PathIn(string sweepDirectory) => Path.Combine(sweepDirectory, Name);

    /// <summary>Writes the record: a temporary file beside it, then a rename over it.</summary>
    public static void Write(string sweepDirectory, SweepRecord record) =>
        WriteAtomically(PathIn(sweepDirectory), JsonSerializer.Serialize(record, SweepJsonContext.Default.SweepRecord));

    /// <summary>Reads the record of the sweep in <paramref name="sweepDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no sweep.json.</exception>
    /// <exception cref="IOException">The file is not a sweep record.</exception>
    public static SweepRecord Read(string sweepDirectory)
    {
        string path = PathIn(sweepDirectory);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no sweep to resume here; start one with backprop sweep --grid ...", path);
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), SweepJsonContext.Default.SweepRecord)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new IOException($"{path} cannot be read as a sweep record ({e.Message}); start a new sweep with another --name.", e);
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> so that readers see the old file or the new one, never part of one.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
