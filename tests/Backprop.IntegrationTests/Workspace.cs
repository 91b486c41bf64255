namespace Backprop.IntegrationTests;

/// <summary>A temporary working folder per test, deleted afterwards; and the repository's own files.</summary>
internal sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "backprop-it-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The repository root (where Backprop.Cluster.sln is), found from the test binaries.</summary>
    public static string Repository { get; } = FindRepository();

    public static string Config(string name) => System.IO.Path.Combine(Repository, "configs", name);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process killed by a test may still hold a file for a moment; the temp folder is the OS's to clean.
        }
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Backprop.Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests run from outside the repository: Backprop.Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}
