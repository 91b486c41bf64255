using System.CommandLine;
using System.Globalization;
using Backprop.Cluster.Hosting;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop coordinator</c>: the cluster's seed node; runs the job and exits 0 with the summary.</summary>
internal static class CoordinatorCommand
{
    public static Command Create()
    {
        var flags = new TrainFlags();
        var host = new Option<string>("--host") { Description = "The interface to listen on (0.0.0.0 for all).", DefaultValueFactory = _ => "0.0.0.0" };
        var port = new Option<int>("--port") { Description = "The port workers join (--join HOST:PORT).", DefaultValueFactory = _ => 4053 };
        var publicHost = new Option<string?>("--public-host") { Description = "The name workers reach this node by (a DNS name or IP), when it differs from --host." };
        var minWorkers = new Option<int?>("--min-workers") { Description = "Workers that must be ready before the job starts (backprop.cluster.min-workers)." };
        var join = new Option<string?>("--join")
        {
            Description = "Standby coordinators: every coordinator as HOST:PORT, this one included, in the same order on every node (workers get the same --join). "
                + "The oldest runs the job; when it is gone the next takes the job over from the latest checkpoint in --run-dir, which they all share.",
        };
        var command = new Command("coordinator", "Run a cluster job: listen for workers, start when --min-workers are ready, train, evaluate, save the model.");
        flags.AddTo(command);
        command.Options.Add(host);
        command.Options.Add(port);
        command.Options.Add(publicHost);
        command.Options.Add(minWorkers);
        command.Options.Add(join);
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            string bind = parse.GetValue(host)!;
            var node = new NodeOptions("coordinator", bind, parse.GetValue(port), parse.GetValue(publicHost) ?? (PublicHost.IsWildcard(bind) ? PublicHost.OfThisMachine() : bind));
            List<KeyValuePair<string, string>> extra = parse.GetValue(minWorkers) is { } min
                ? [new("backprop.cluster.min-workers", min.ToString(CultureInfo.InvariantCulture))]
                : [];
            if (parse.GetValue(join) is { } coordinators)
            {
                return StandbyCoordinator.Run(parse, flags, node, coordinators, extra);
            }

            return TrainCommand.Run(
                parse,
                flags,
                (job, cluster, observer, say, cancel) =>
                {
                    var summary = ClusterRun.CoordinateAsync(job, cluster, node, observer, say, null, cancel).GetAwaiter().GetResult();
                    return (summary.Training, summary);
                },
                extra);
        }));
        return command;
    }
}
