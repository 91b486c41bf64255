using System.CommandLine;
using Backprop.Cli.Hosting;
using Backprop.Cluster.Configuration;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;

namespace Backprop.Cli.Commands;

/// <summary>
/// The flags of a node that joins a coordinator and serves its job (<c>backprop worker</c>,
/// <c>backprop server</c>), and the run they share: settings from --config and the environment, the
/// address other nodes reach it by, its lines on stdout, its failure on stderr, and its exit code.
/// </summary>
/// <param name="role">The node's role, which prefixes every line it prints.</param>
internal sealed class JoiningNodeFlags(string role)
{
    public Option<string> Join { get; } = new("--join") { Description = "The coordinator as HOST:PORT; with standby coordinators, all of them, comma-separated, as every node is given them.", Required = true };

    public Option<string> Host { get; } = new("--host") { Description = "The interface to listen on.", DefaultValueFactory = _ => "0.0.0.0" };

    public Option<int> Port { get; } = new("--port") { Description = "The port to listen on; 0 for any free one.", DefaultValueFactory = _ => 0 };

    public Option<string?> PublicHost { get; } = new("--public-host") { Description = "The name other nodes reach this one by, when it differs from --host." };

    public Option<string?> Config { get; } = new("--config") { Description = "A configuration file for the backprop.cluster and akka sections (the job itself comes from the coordinator)." };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Join, Host, Port, PublicHost, Config })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Starts the node with <paramref name="serve"/> and waits for it; returns the exit code.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="serve">Runs the node until the job ends for it: null when it did, else why it gave up.</param>
    public int Run(ParseResult parse, Func<NodeOptions, ClusterSettings, Action<string>, CancellationToken, Task<string?>> serve)
    {
        var environment = Environment.GetEnvironmentVariables();
        var cluster = ClusterSettings.Create(SettingsReader.LoadConfig(parse.GetValue(Config) ?? EnvironmentOverrides.ConfigFile(environment), EnvironmentOverrides.Read(environment)))
            with
        { AkkaLogLevel = Verbosity.AkkaLogLevel(parse) };
        string bind = parse.GetValue(Host)!;
        string coordinator = parse.GetValue(Join)!;
        ClusterNode.ParseSeeds(coordinator);
        string reachableAs = parse.GetValue(PublicHost)
            ?? (Cluster.Hosting.PublicHost.IsWildcard(bind) ? Cluster.Hosting.PublicHost.TowardsCoordinator(coordinator, cluster.JoinTimeout, line => parse.InvocationConfiguration.Output.WriteLine($"{role}: {line}")) : bind);
        var node = new NodeOptions(role, bind, parse.GetValue(Port), reachableAs, coordinator);
        var output = Verbosity.IsQuiet(parse) ? TextWriter.Null : parse.InvocationConfiguration.Output;
        using var interruption = new Interruption();
        output.WriteLine($"{role}: joining {coordinator}");
        string? failure = serve(node, cluster, line => output.WriteLine($"{role}: {line}"), interruption.Token).GetAwaiter().GetResult();
        if (failure is null)
        {
            return 0;
        }

        parse.InvocationConfiguration.Error.WriteLine($"error: {failure}");
        return interruption.Signal is null ? CliErrors.Failed : interruption.ExitCode;
    }
}
