using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Backprop.DeployTests;

/// <summary>
/// A worker cut off by the network rather than paused: the coordinator and two workers each in a
/// network namespace, one worker's cable pulled mid-job and plugged back once the split-brain
/// resolver has downed it. The loopback test with SIGSTOP cannot show this: here the cut worker
/// keeps running and decides on its own side of the partition, and a gradient it sent into the cut
/// is still in the kernel's buffers when the network comes back.
/// </summary>
[Collection(DeployTierFactAttribute.Collection)]
public sealed class NamespacePartitionTests(ITestOutputHelper output)
{
    private const int Partitioned = 2;
    private static readonly TimeSpan Stage = TimeSpan.FromSeconds(60);
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<(string Name, Shell Process)> _processes = [];

    /// <summary>Downed while cut, the job going on without it; after the heal it rejoins as a new member.</summary>
    [DeployTierFact]
    public void A_partitioned_worker_should_be_downed_and_rejoin_as_new_after_the_heal()
    {
        Assert.True(NamespaceNetwork.Missing() is null, NamespaceNetwork.Missing());
        using var network = new NamespaceNetwork(3, "1gbit");
        var folder = Directory.CreateTempSubdirectory("backprop-partition-");
        try
        {
            // The coordinator has its namespace to itself, so the default port is free.
            string join = $"{NamespaceNetwork.Address(0)}:4053";
            using var coordinator = Start("coordinator", network.Nodes[0], ["coordinator", "--host", NamespaceNetwork.Address(0), "--min-workers", "2",
                "--data", "builtin:fashion-mnist-small", "--epochs", "500", "--batch", "32", "--threads", "1", "--json", "--run-dir", Path.Combine(folder.FullName, "run")]);
            using var steady = Start("steady worker", network.Nodes[1], ["worker", "--join", join, "--host", NamespaceNetwork.Address(1), "--threads", "1"]);
            using var partitioned = Start("partitioned worker", network.Nodes[Partitioned], ["worker", "--join", join, "--host", NamespaceNetwork.Address(Partitioned), "--threads", "1"]);
            WaitFor(coordinator, "^epoch 1/500 ");

            network.Cut(Partitioned);
            long cut = Stopwatch.GetTimestamp();
            string incarnation = $@"akka\.tcp://backprop@{Regex.Escape(NamespaceNetwork.Address(Partitioned))}:\d+#\w+";
            var unreachable = WaitFor(coordinator, $"^worker (?<id>{incarnation}) unreachable$");
            string id = Regex.Escape(unreachable.Match.Groups["id"].Value);

            // A step is always waiting for the cut worker when it turns unreachable: that step closes
            // with the other worker's gradient alone, and while the cable is out the job goes on with
            // one worker (an epoch ends after the cut worker turned unreachable).
            var left = WaitFor(coordinator, $@"Worker {id} left during step (?<step>\d+):");
            long cutStep = long.Parse(left.Match.Groups["step"].Value, CultureInfo.InvariantCulture);
            WaitFor(coordinator, $@"Step {cutStep} closed short-handed: 1 of 2 worker\(s\) contributed\.");
            var removed = WaitFor(coordinator, $@"^worker {id} lost \(removed from the cluster\)$");
            WaitFor(coordinator, @"^epoch \d+/500 ", from: unreachable.Match.Index);

            network.Heal(Partitioned);
            long heal = Stopwatch.GetTimestamp();
            var rejoining = WaitFor(partitioned, "rejoining as a new member");
            var firstStepAgain = WaitFor(partitioned, @"first step (?<step>\d+):", from: rejoining.Match.Index);
            long rejoinStep = long.Parse(firstStepAgain.Match.Groups["step"].Value, CultureInfo.InvariantCulture);

            // The new member computes on weights the server dealt it now, not on the cut step's.
            Assert.True(rejoinStep > cutStep, $"the rejoined worker's first step {rejoinStep} is not after the step {cutStep} it was cut in");

            // Enough shown: stop the job gracefully rather than train 500 epochs.
            coordinator.Signal(15);
            Assert.True(coordinator.WaitForExit(Stage) == 143, Everything());
            var summary = BackpropProgram.Summary(coordinator.Output);
            Assert.False(summary.GetProperty("completed").GetBoolean());
            Assert.True(summary.GetProperty("short_handed_steps").GetInt64() >= 1, Everything());

            // The cut worker's gradient of the cut step reaches the server only if the cut caught it in
            // flight (the kernel retransmits it after the heal); then it must be turned away as stale,
            // never summed into a later step. Nothing else may be rejected.
            var rejected = summary.GetProperty("rejected_by_reason");
            Assert.All(rejected.EnumerateObject(), reason => Assert.Equal("stale", reason.Name));
            long stale = rejected.TryGetProperty("stale", out var count) ? count.GetInt64() : 0;
            int staleSeen = Regex.Count(coordinator.Output, $@"Rejected \(stale\): a gradient of step {cutStep} from ");
            Assert.True(stale >= staleSeen, $"{staleSeen} stale gradient(s) of step {cutStep} logged, {stale} counted");

            foreach (var worker in new[] { steady, partitioned })
            {
                int exit = worker.WaitForExit(Stage);
                Assert.True(exit == 0, $"worker exit {exit}\n{Everything()}");
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"recovery: cut -> unreachable {Seconds(cut, unreachable.At)}, cut -> removed {Seconds(cut, removed.At)}, cut -> rejoining {Seconds(cut, rejoining.At)}, " +
                $"heal -> first step again {Seconds(heal, firstStepAgain.At)} (step {rejoinStep}; cut in step {cutStep})"));
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"stale gradients rejected: {stale} ({staleSeen} of the cut step logged); short-handed steps: {summary.GetProperty("short_handed_steps").GetInt64()}; test {Seconds(_started, Stopwatch.GetTimestamp())}"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Seconds(long from, long to) => string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(from, to).TotalSeconds:F2} s");

    private Shell Start(string name, string space, string[] args)
    {
        var process = BackpropProgram.Start(space, args);
        _processes.Add((name, process));
        return process;
    }

    /// <summary>
    /// Polls the output every 50 ms until a line matches <paramref name="pattern"/> at or after
    /// <paramref name="from"/>; returns the match and when its line was read (a Stopwatch timestamp).
    /// </summary>
    private (Match Match, long At) WaitFor(Shell process, string pattern, int from = 0)
    {
        var line = new Regex(pattern, RegexOptions.Multiline);
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            var match = line.Match(process.Output, from);
            if (match.Success)
            {
                return (match, process.ArrivalOf(match.Index));
            }

            if (waiting.Elapsed > Stage)
            {
                Assert.Fail($"no line matching {pattern} within {Stage}\n{Everything()}");
            }

            Thread.Sleep(50);
        }
    }

    private string Everything() => string.Join('\n', _processes.Select(p => $"--- {p.Name}:\n{p.Process.Output}"));
}
