using System.Text.Json;

namespace Backprop.Cli.Tests.Packaging;

/// <summary>THIRD-PARTY-NOTICES.md names every package the <c>backprop</c> command ships with.</summary>
public sealed class NoticesTests
{
    [Fact]
    public void Every_package_the_command_ships_with_should_be_in_the_notices()
    {
        // The CLI's own dependency manifest, copied beside the tests because they reference the CLI.
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "backprop.deps.json")));
        var packages = deps.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(library => library.Value.GetProperty("type").GetString() == "package")
            .Select(library => library.Name.Split('/')[0])
            .ToList();
        Assert.NotEmpty(packages);

        string notices = File.ReadAllText(Path.Combine(Root(), "THIRD-PARTY-NOTICES.md"));
        var named = notices.Split(['|', ',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = packages.Where(p => !named.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"THIRD-PARTY-NOTICES.md lacks: {string.Join(", ", missing)}");
        Assert.True(File.Exists(Path.Combine(Root(), "LICENSE")));
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Backprop.Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Backprop.Cluster.sln above {AppContext.BaseDirectory}.");
    }
}
