using System.CommandLine;

namespace Backprop.Cli.Commands;

/// <summary>The <c>backprop</c> root command and its verbs.</summary>
internal static class BackpropCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Backprop.Cluster: train multi-layer networks by backpropagation, on one machine or across many.");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(CoordinatorCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CertsCommand.Create());
        return root;
    }
}
