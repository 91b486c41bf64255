using System.Text.Json;

namespace Backprop.DeployTests;

/// <summary>The real backprop command, whose build output the project reference copies next to the tests.</summary>
internal static class BackpropProgram
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "backprop.dll");

    /// <summary>Starts backprop in the network namespace <paramref name="space"/>, or in this one when it is null.</summary>
    public static Shell Start(string? space, string[] args) => space is null
        ? Shell.Start("dotnet", [Dll, .. args], workingDirectory: AppContext.BaseDirectory)
        : Shell.Start("ip", ["netns", "exec", space, "dotnet", Dll, .. args], workingDirectory: AppContext.BaseDirectory);

    /// <summary>The summary object a <c>--json</c> run ends its standard output with.</summary>
    public static JsonElement Summary(string output)
    {
        string line = output.Split('\n', StringSplitOptions.TrimEntries).Last(l => l.StartsWith("{\"completed\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
