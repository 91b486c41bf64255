using System.IO.Compression;
using Xunit.Abstractions;

namespace Backprop.DeployTests;

/// <summary>
/// The two ways the command leaves the repository: a .NET tool package (<c>dotnet pack</c>, then
/// <c>dotnet tool install</c> from its folder) and a self-contained single-file executable. Each is
/// installed or published into a temporary folder and trains on the builtin dataset from there.
/// In the deployment tier because both fetch packages (the runtime pack) and take minutes.
/// </summary>
[Collection(DeployTierFactAttribute.Collection)]
public sealed class PackagingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-packaging-").FullName;

    [DeployTierFact]
    public void The_tool_package_should_install_and_train()
    {
        string packages = Path.Combine(_folder, "nupkg");
        Shell.Check("dotnet", ["pack", RepositoryRoot.File("src/Backprop.Cli/Backprop.Cli.csproj"), "-c", "Release", "-o", packages], Long);
        string package = Assert.Single(Directory.GetFiles(packages, "Backprop.Cluster.Cli.*.nupkg"));
        using (var zip = ZipFile.OpenRead(package))
        {
            foreach (string file in new[] { "LICENSE", "README.md", "THIRD-PARTY-NOTICES.md" })
            {
                Assert.Contains(zip.Entries, e => e.FullName == file);
            }
        }

        string version = Path.GetFileNameWithoutExtension(package)["Backprop.Cluster.Cli.".Length..];
        string tools = Path.Combine(_folder, "tools");
        Shell.Check("dotnet", ["tool", "install", "Backprop.Cluster.Cli", "--tool-path", tools, "--add-source", packages, "--version", version], Long);
        string backprop = Path.Combine(tools, "backprop");
        Assert.StartsWith(version, Shell.Check(backprop, ["--version"], Long).Trim(), StringComparison.Ordinal);
        Train(backprop);
    }

    [DeployTierFact]
    public void The_single_file_publish_should_train_without_the_sdk_around_it()
    {
        string publish = Path.Combine(_folder, "publish");
        Shell.Check("dotnet", ["publish", RepositoryRoot.File("src/Backprop.Cli/Backprop.Cli.csproj"), "-c", "Release", "-r", "linux-x64", "-p:PublishSingleFile=true", "-o", publish], Long);
        string backprop = Path.Combine(publish, "backprop");
        Assert.True(File.Exists(backprop), string.Join(", ", Directory.GetFiles(publish)));
        output.WriteLine($"single file: {new FileInfo(backprop).Length / 1e6:F1} MB; beside it: {string.Join(", ", Directory.GetFiles(publish).Select(Path.GetFileName).Where(f => f != "backprop"))}");

        // Copied alone to another folder, with no dotnet on its PATH: it must carry its runtime.
        string alone = Path.Combine(_folder, "alone");
        Directory.CreateDirectory(alone);
        File.Copy(backprop, Path.Combine(alone, "backprop"));
        Shell.Check("chmod", ["+x", Path.Combine(alone, "backprop")], Long);
        Train(Path.Combine(alone, "backprop"), new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["DOTNET_ROOT"] = "/nonexistent" });
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Train(string backprop, IReadOnlyDictionary<string, string>? environment = null)
    {
        string runDir = Path.Combine(_folder, $"run-{Guid.NewGuid():N}");
        string json = Shell.Check(backprop, ["train", "--epochs", "1", "--batch", "256", "--threads", "1", "--quiet", "--json", "--run-dir", runDir], Long, environment);
        Assert.Contains("\"completed\":true", json, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(runDir, "model.bpm")));
    }
}
