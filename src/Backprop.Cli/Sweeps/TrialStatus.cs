namespace Backprop.Cli.Sweeps;

/// <summary>Where a trial stands, as <c>sweep.json</c> spells it.</summary>
internal static class TrialStatus
{
    /// <summary>Not started yet.</summary>
    public const string Pending = "pending";

    /// <summary>Training now (or the sweep was killed while it trained).</summary>
    public const string Running = "running";

    /// <summary>Trained every epoch and saved its model.</summary>
    public const string Finished = "finished";

    /// <summary>Stopped with an error (a diverged loss, a failed write); the sweep went on.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped by Ctrl+C or SIGTERM with a checkpoint; <c>sweep --resume</c> continues it.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>Whether <c>--resume</c> leaves the trial as it is: it ended, well or not, and running it again would repeat the same computation.</summary>
    public static bool IsDone(string status) => status is Finished or Failed;
}
