using System.CommandLine;
using Backprop.Cli.Hosting;
using Backprop.Cluster.Configuration;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop worker</c>: joins a coordinator and trains while there is a job.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var join = new Option<string>("--join") { Description = "The coordinator as HOST:PORT.", Required = true };
        var host = new Option<string>("--host") { Description = "The interface to listen on.", DefaultValueFactory = _ => "0.0.0.0" };
        var port = new Option<int>("--port") { Description = "The port to listen on; 0 for any free one.", DefaultValueFactory = _ => 0 };
        var publicHost = new Option<string?>("--public-host") { Description = "The name other nodes reach this one by, when it differs from --host." };
        var threads = new Option<int>("--threads") { Description = "Threads of this worker's matrix products; 0 for every core.", DefaultValueFactory = _ => 0 };
        var config = new Option<string?>("--config") { Description = "A configuration file for the backprop.cluster and akka sections (the job itself comes from the coordinator)." };
        var command = new Command("worker", "Join a coordinator and compute gradients for its job until it ends; the model and training configuration come from the coordinator.")
        {
            join, host, port, publicHost, threads, config,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var environment = Environment.GetEnvironmentVariables();
            var cluster = ClusterSettings.Create(SettingsReader.LoadConfig(parse.GetValue(config) ?? EnvironmentOverrides.ConfigFile(environment), EnvironmentOverrides.Read(environment)));
            string bind = parse.GetValue(host)!;
            string coordinator = parse.GetValue(join)!;
            ClusterNode.ParseJoin(coordinator);
            string reachableAs = parse.GetValue(publicHost) ?? (PublicHost.IsWildcard(bind) ? PublicHost.TowardsCoordinator(coordinator, cluster.JoinTimeout, line => parse.InvocationConfiguration.Output.WriteLine($"worker: {line}")) : bind);
            var node = new NodeOptions("worker", bind, parse.GetValue(port), reachableAs, coordinator);
            var output = parse.InvocationConfiguration.Output;
            using var interruption = new Interruption();
            output.WriteLine($"worker: joining {coordinator}");
            string? failure = ClusterRun.WorkAsync(node, parse.GetValue(threads), cluster, line => output.WriteLine($"worker: {line}"), interruption.Token).GetAwaiter().GetResult();
            if (failure is null)
            {
                return 0;
            }

            parse.InvocationConfiguration.Error.WriteLine($"error: {failure}");
            return interruption.Signal is null ? CliErrors.Failed : interruption.ExitCode;
        }));
        return command;
    }
}
