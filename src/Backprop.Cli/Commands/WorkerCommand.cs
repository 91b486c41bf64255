using System.CommandLine;
using Backprop.Cluster.Hosting;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop worker</c>: joins a coordinator and trains while there is a job.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var flags = new JoiningNodeFlags("worker");
        var threads = new Option<int>("--threads") { Description = "Threads of this worker's matrix products; 0 for every core.", DefaultValueFactory = _ => 0 };
        var command = new Command("worker", "Join a coordinator and compute gradients for its job until it ends; the model and training configuration come from the coordinator.");
        flags.AddTo(command);
        command.Options.Add(threads);
        command.SetAction(parse => CliErrors.Run(
            parse.InvocationConfiguration.Error,
            () => flags.Run(parse, (node, cluster, log, cancellation) => ClusterRun.WorkAsync(node, parse.GetValue(threads), cluster, log, cancellation))));
        return command;
    }
}
