namespace Backprop.Cluster.Hosting;

/// <summary>
/// The cluster downed the coordinator's own node: its actor system, and the job with it, has shut
/// down. Raised instead of waiting for a summary that would never come.
/// </summary>
public sealed class CoordinatorDownedException : Exception
{
    /// <summary>The error for a coordinator downed while running the job in <paramref name="runDirectory"/>.</summary>
    /// <param name="runDirectory">The job's run folder, which holds its last checkpoint.</param>
    public CoordinatorDownedException(string runDirectory)
        : base($"the cluster downed the coordinator's node, which stopped the job; its last checkpoint stays: restart with backprop coordinator --resume --run-dir {runDirectory}")
    {
    }

    /// <summary>The error for an active coordinator among standbys, one of which takes the job over.</summary>
    /// <param name="runDirectory">The job's shared run folder, which holds its last checkpoint.</param>
    /// <returns>The error.</returns>
    public static CoordinatorDownedException WithStandby(string runDirectory) => new(
        $"the cluster downed this coordinator's node, which stopped the job here; the coordinator elected next takes it over from the last checkpoint in {runDirectory}, and this node joins again as a standby.",
        null);

    /// <summary>Creates the error.</summary>
    public CoordinatorDownedException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CoordinatorDownedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
