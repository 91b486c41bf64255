using System.Text;

namespace Backprop.Nn.Tests.Data;

/// <summary>A temporary folder for one test's files, deleted on dispose.</summary>
public sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backprop-data-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> in the folder (not created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes UTF-8 text exactly as given: no BOM, line ends untouched.</summary>
    public string WriteText(string name, string text) => Write(name, new UTF8Encoding(false).GetBytes(text));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: the OS temp cleaner gets it; the test result stands.
        }
    }
}
