using System.Text.Json;
using Xunit.Abstractions;

namespace Backprop.DeployTests;

/// <summary>
/// One <c>docker-compose.yml</c> project of the repository under a name of its own, with its run
/// folder in a temporary host folder, driven by compose v2 (<c>docker compose</c>) or v1
/// (<c>docker-compose</c>). Its image is tagged with the project's name rather than the file's
/// default <c>backprop:local</c>, so that builds of other checkouts on the same Docker host cannot
/// swap the image under it. Disposing it takes everything down with <c>down -v</c> and untags the image.
/// </summary>
internal sealed class ComposeProject : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(2);
    private readonly string[] _files;
    private readonly string[] _compose;
    private readonly Dictionary<string, string> _environment;

    /// <summary>The project of docker-compose.yml, with <paramref name="overrides"/> (repository paths) on top.</summary>
    public ComposeProject(bool v2, IReadOnlyDictionary<string, string> settings, params string[] overrides)
    {
        Name = $"bpt{Guid.NewGuid().ToString("N")[..8]}";
        _compose = v2 ? ["docker", "compose"] : ["docker-compose"];
        _files = [.. overrides.Prepend("docker-compose.yml").SelectMany(f => new[] { "-f", RepositoryRoot.File(f) })];
        Folder = Directory.CreateTempSubdirectory("backprop-compose-").FullName;
        Runs = Path.Combine(Folder, "runs");
        string data = Path.Combine(Folder, "data");
        Directory.CreateDirectory(Runs);
        Directory.CreateDirectory(data);

        // The containers run as the image's user (1654); the host folder must be writable by it.
        Shell.Check("chown", ["1654:1654", Runs], Short);
        _environment = new Dictionary<string, string>(settings)
        {
            ["BACKPROP_RUNS"] = Runs,
            ["BACKPROP_DATA"] = data,
            ["BACKPROP_IMAGE"] = Image,
        };
    }

    public string Name { get; }

    /// <summary>The image the project builds and runs.</summary>
    public string Image => $"backprop:{Name}";

    public string Folder { get; }

    /// <summary>The host folder mounted as the containers' runs/.</summary>
    public string Runs { get; }

    public static bool HasV1 => Shell.Run("docker-compose", ["version"], Short).Code == 0;

    public string Compose(TimeSpan timeout, params string[] args) =>
        Shell.Check(_compose[0], [.. _compose[1..], .. _files, "-p", Name, .. args], timeout, _environment);

    /// <summary>A compose command that may fail: its exit code and output.</summary>
    public (int Code, string Output) TryCompose(TimeSpan timeout, params string[] args) =>
        Shell.Run(_compose[0], [.. _compose[1..], .. _files, "-p", Name, .. args], timeout, _environment);

    /// <summary>The ids of a service's containers, stopped ones included (v2's <c>ps -q</c> hides those).</summary>
    public IReadOnlyList<string> Containers(string service) =>
        Shell.Check("docker", ["ps", "-a", "-q", "--filter", $"label=com.docker.compose.project={Name}", "--filter", $"label=com.docker.compose.service={service}"], Short)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Waits for a container to stop and returns its exit code; a container still running after
    /// <paramref name="timeout"/> fails the test with its state and logs, which say why it stayed.
    /// </summary>
    public static int Wait(string container, TimeSpan timeout)
    {
        try
        {
            return int.Parse(Shell.Check("docker", ["wait", container], timeout).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (TimeoutException)
        {
            string state = Shell.Run("docker", ["inspect", "-f", "{{.State.Status}}, restarted {{.RestartCount}} time(s)", container], Short).Output.Trim();
            throw new TimeoutException($"container {container} still running after {timeout} ({state}); its logs:\n{Logs(container)}");
        }
    }

    public static string Logs(string container) => Shell.Run("docker", ["logs", container], Short).Output;

    /// <summary>
    /// Runs a test's body; when it fails, writes every container of the project to the test's
    /// output first (service, state, logs), since a failure in one container often shows in another.
    /// </summary>
    public void ReportingFailures(ITestOutputHelper output, Action body)
    {
        try
        {
            body();
        }
        catch
        {
            foreach (string container in Shell.Run("docker", ["ps", "-a", "-q", "--filter", $"label=com.docker.compose.project={Name}"], Short).Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string state = Shell.Run("docker", ["inspect", "-f", "{{index .Config.Labels \"com.docker.compose.service\"}} {{.Name}}: {{.State.Status}}, exit {{.State.ExitCode}}, restarted {{.RestartCount}} time(s)", container], Short).Output.Trim();
                output.WriteLine($"===== {state}\n{Logs(container)}");
            }

            throw;
        }
    }

    /// <summary>The JSON summary the coordinator printed last.</summary>
    public static JsonElement Summary(string coordinatorLogs)
    {
        string line = coordinatorLogs.Split('\n', StringSplitOptions.TrimEntries).Last(l => l.StartsWith("{\"completed\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Containers, networks and volumes still labelled with this project.</summary>
    public string Leftovers()
    {
        string label = $"label=com.docker.compose.project={Name}";
        return string.Concat(
            Shell.Check("docker", ["ps", "-a", "-q", "--filter", label], Short),
            Shell.Check("docker", ["network", "ls", "-q", "--filter", label], Short),
            Shell.Check("docker", ["volume", "ls", "-q", "--filter", label], Short)).Trim();
    }

    public void Dispose()
    {
        Shell.Run(_compose[0], [.. _compose[1..], .. _files, "-p", Name, "down", "-v", "--remove-orphans"], Short, _environment);

        // Only the tag goes: the layers stay in the build cache for the next project.
        Shell.Run("docker", ["image", "rm", Image], Short);
        Shell.Run("rm", ["-rf", Folder], Short);
    }
}
