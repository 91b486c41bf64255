namespace Backprop.DeployTests;

/// <summary>The checkout the tests run from: the folder above the build output that holds the solution.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>A file or folder of the checkout by its path from the root.</summary>
    public static string File(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Backprop.Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Backprop.Cluster.sln above {AppContext.BaseDirectory}: the deploy tests run from a checkout.");
    }
}
