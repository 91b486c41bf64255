using System.CommandLine;
using Backprop.Cluster.Hosting;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop server</c>: holds a shard of a sharded parameter server for the coordinator's job.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var flags = new JoiningNodeFlags("server");
        var command = new Command(
            "server",
            "Join a coordinator whose job shards its parameter server (backprop.cluster.exchange.servers above 1) and hold one shard: sum, apply and broadcast that range of the parameters until the job ends.");
        flags.AddTo(command);
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () => flags.Run(parse, ClusterRun.ServeAsync)));
        return command;
    }
}
