namespace Backprop.Cluster.Tests.Configuration;

/// <summary>Inline HOCON written to a fresh temporary folder, deleted again on dispose.</summary>
internal sealed class TempConfig : IDisposable
{
    public TempConfig(string hocon, string fileName = "test.conf")
    {
        Folder = Directory.CreateTempSubdirectory("backprop-config-").FullName;
        Path = Write(fileName, hocon);
    }

    /// <summary>The folder holding the file (and any others written with <see cref="Write"/>).</summary>
    public string Folder { get; }

    /// <summary>The configuration file.</summary>
    public string Path { get; }

    /// <summary>Writes another file beside the first, for includes.</summary>
    public string Write(string fileName, string hocon)
    {
        string path = System.IO.Path.Combine(Folder, fileName);
        File.WriteAllText(path, hocon);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
