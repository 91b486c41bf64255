using System.CommandLine;
using Backprop.Cli.Hosting;
using Backprop.Cli.Runs;
using Backprop.Cluster.Hosting;
using Backprop.Cluster.Settings;
using Backprop.Nn.Jobs;
using Backprop.Nn.Settings;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>backprop coordinator --join A,B</c>: one of several coordinators sharing a run folder. It joins
/// the others and stands by; the one holding the cluster singleton runs the job, resuming from the
/// folder's checkpoint when there is one. A standby ends when the job ends elsewhere.
/// </summary>
internal static class StandbyCoordinator
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LockNoticeInterval = TimeSpan.FromSeconds(30);

    public static int Run(ParseResult parse, TrainFlags flags, NodeOptions node, string coordinators, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var human = Verbosity.IsQuiet(parse) ? TextWriter.Null : parse.GetValue(flags.Json) ? parse.InvocationConfiguration.Error : stdout;
        string runDirectory = parse.GetValue(flags.RunDir)
            ?? throw new InvalidSettingException("--run-dir", "coordinators with standbys need --run-dir: a folder they all share (a shared volume), where the job's checkpoint lets a standby take it over.");
        var seeds = ClusterNode.ParseSeeds(coordinators);
        string self = PublicHost.FindSelf(seeds, node.PublicHost ?? node.Host, node.Port)
            ?? throw new InvalidSettingException(
                "--join",
                $"\"{coordinators}\" does not name this coordinator ({node.PublicHost ?? node.Host}:{node.Port}): list every coordinator, this one included, in the same order on every node; give --public-host if this node goes by another name.");
        node = node with { PublicHost = self, Join = coordinators };

        // The cluster settings (TLS, timeouts) before the job's: the run folder's own configuration
        // once a job has started there, as the coordinator that takes it over reads it.
        string? folder = runDirectory;
        var cluster = ClusterSettings.Create(TrainCommand.LoadConfig(parse, flags, HasJob(runDirectory), ref folder, extra)) with { AkkaLogLevel = Verbosity.AkkaLogLevel(parse) };
        using var interruption = new Interruption();
        while (true)
        {
            var candidate = CoordinatorCandidate.StartAsync(node, cluster).GetAwaiter().GetResult();
            try
            {
                // "Standing by" only once a member: before, the node could not take a job over.
                human.WriteLine($"coordinator: {candidate.Address} joining the coordinators {node.Join}");
                if (candidate.JoinedAsync(interruption.Token).GetAwaiter().GetResult())
                {
                    human.WriteLine($"coordinator: {candidate.Address} is a member; standing by");
                }

                var outcome = candidate.WaitAsync(interruption.Token).GetAwaiter().GetResult();
                switch (outcome)
                {
                    case CoordinatorCandidate.Outcome.Elected:
                        try
                        {
                            return RunElected(parse, flags, extra, human, runDirectory, candidate, interruption);
                        }
                        catch (CoordinatorDownedException downed)
                        {
                            // Downed while it ran the job (paused, cut off): the job goes on under the
                            // coordinator elected next, once this process let go of the run folder.
                            human.WriteLine($"coordinator: {downed.Message}");
                            node = node with { Join = RejoinOrder(runDirectory, seeds, self, node.Port, coordinators, human) };
                            break;
                        }
                    case CoordinatorCandidate.Outcome.JobCompleted:
                        human.WriteLine($"coordinator: the job finished on {candidate.EndedAt}; its results are in {runDirectory}");
                        return 0;
                    case CoordinatorCandidate.Outcome.JobFailed:
                        parse.InvocationConfiguration.Error.WriteLine($"error: the job failed on the coordinator at {candidate.EndedAt}; its log is {Path.Combine(runDirectory, RunFiles.Log)}");
                        return CliErrors.Failed;
                    case CoordinatorCandidate.Outcome.Interrupted:
                        human.WriteLine($"coordinator: interrupted by {interruption.Signal} while standing by");
                        return interruption.ExitCode;
                    default:
                        human.WriteLine("coordinator: the cluster removed this standby node (unreachable too long)");
                        node = node with { Join = RejoinOrder(runDirectory, seeds, self, node.Port, coordinators, human) };
                        break;
                }
            }
            finally
            {
                candidate.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>
    /// This node holds the singleton: it takes the run folder's lock (the coordinator before it may
    /// still be writing there as it ends, or one in a split-off cluster may run the job), then runs the
    /// job, resuming from the folder's checkpoint, unless the folder says the job has finished.
    /// </summary>
    private static int RunElected(
        ParseResult parse, TrainFlags flags, IReadOnlyList<KeyValuePair<string, string>> extra, TextWriter human, string runDirectory, CoordinatorCandidate candidate, Interruption interruption)
    {
        Directory.CreateDirectory(runDirectory);
        using var folderLock = AwaitRunFolder(runDirectory, $"backprop coordinator {candidate.Address}", human, interruption.Token);
        if (folderLock is null)
        {
            human.WriteLine($"coordinator: interrupted by {interruption.Signal} while waiting for the run folder");
            return interruption.ExitCode;
        }

        if (Finished(runDirectory))
        {
            human.WriteLine($"coordinator: the job in {runDirectory} has finished already (its {RunFiles.Summary} says so); nothing to take over");
            return 0;
        }

        bool resume = HasJob(runDirectory);
        human.WriteLine(resume
            ? $"coordinator: taking the job in {runDirectory} over from its latest checkpoint"
            : $"coordinator: this node is the oldest coordinator; starting the job in {runDirectory}");
        return TrainCommand.Run(
            parse,
            flags,
            (job, settings, observer, say, cancel) =>
            {
                var summary = candidate.RunAsync(job, settings, observer, say, cancel).GetAwaiter().GetResult();
                return (summary.Training, summary);
            },
            extra,
            resumeAnyway: resume,

            // Leave once summary.json is written: a coordinator that joined too late to be told
            // of the job's end is elected when this node leaves, and must find the job finished.
            // Before the summary is printed, so that Akka's last words precede it (with --json,
            // stdout's last line).
            resultsWritten: () => candidate.DisposeAsync().AsTask().GetAwaiter().GetResult(),
            heldLock: folderLock);
    }

    /// <summary>Takes the run folder's lock, waiting while another process holds it; null when interrupted first.</summary>
    private static RunFolderLock? AwaitRunFolder(string runDirectory, string holder, TextWriter human, CancellationToken cancellation)
    {
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        var nextNotice = TimeSpan.Zero;
        while (true)
        {
            if (RunFolderLock.TryAcquire(runDirectory, holder) is { } taken)
            {
                return taken;
            }

            if (waiting.Elapsed >= nextNotice)
            {
                human.WriteLine($"coordinator: elected, but another process holds the run folder ({RunFolderLock.PathIn(runDirectory)}): the coordinator before this one is still ending, or one cut off from this cluster runs the job; waiting for it ({waiting.Elapsed.TotalSeconds:0} s so far)");
                nextNotice = waiting.Elapsed + LockNoticeInterval;
            }

            if (cancellation.WaitHandle.WaitOne(LockPollInterval))
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The coordinator list a fresh node of this one joins with. Only the first of the seed nodes may
    /// found a cluster; the others wait for one to answer. When no process holds the run folder, the
    /// cluster this node was removed from may be gone with its active coordinator, and waiting would
    /// be for ever: this node goes first in line, and founds the cluster anew if no other coordinator
    /// answers. While one holds it, that coordinator runs the job, and this node joins its cluster.
    /// </summary>
    private static string RejoinOrder(string runDirectory, IReadOnlyList<Akka.Actor.Address> seeds, string selfHost, int selfPort, string coordinators, TextWriter human)
    {
        if (RunFolderLock.IsHeld(runDirectory))
        {
            human.WriteLine("coordinator: a coordinator holds the run folder, so joining its cluster again with a fresh node");
            return coordinators;
        }

        human.WriteLine("coordinator: no coordinator holds the run folder; joining again with a fresh node, first in line to found the cluster if no other coordinator answers");
        return FirstInLine(seeds, selfHost, selfPort);
    }

    /// <summary>The coordinators' addresses with this node's first, the others in their order.</summary>
    private static string FirstInLine(IReadOnlyList<Akka.Actor.Address> seeds, string selfHost, int selfPort)
    {
        bool IsSelf(Akka.Actor.Address seed) => seed.Port == selfPort && string.Equals(seed.Host, selfHost, StringComparison.OrdinalIgnoreCase);
        return string.Join(',', seeds.Where(IsSelf).Concat(seeds.Where(seed => !IsSelf(seed))).Select(seed => $"{seed.Host}:{seed.Port}"));
    }

    /// <summary>Whether a job has started in the folder: it holds the job's resolved configuration.</summary>
    private static bool HasJob(string runDirectory) => File.Exists(Path.Combine(runDirectory, RunFiles.Config));

    /// <summary>Whether the folder's summary says its job completed.</summary>
    private static bool Finished(string runDirectory) => RunSummaryFile.TryRead(runDirectory) is { Completed: true };
}
