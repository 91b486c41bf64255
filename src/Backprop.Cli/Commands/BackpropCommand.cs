using System.CommandLine;

namespace Backprop.Cli.Commands;

/// <summary>The <c>backprop</c> root command and its verbs.</summary>
internal static class BackpropCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Backprop.Cluster: train multi-layer networks by backpropagation, on one machine or across many.");
        root.Options.Add(Verbosity.Verbose);
        root.Options.Add(Verbosity.Quiet);
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(CoordinatorCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(ServerCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CertsCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        return root;
    }
}
