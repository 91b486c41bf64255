namespace Backprop.Nn.Jobs;

/// <summary>The names of the files in a run folder.</summary>
public static class RunFiles
{
    /// <summary>The resolved configuration, as HOCON.</summary>
    public const string Config = "config.conf";

    /// <summary>The latest checkpoint, replaced atomically.</summary>
    public const string Checkpoint = "checkpoint.bpk";

    /// <summary>The final model.</summary>
    public const string Model = "model.bpm";

    /// <summary>The final summary, as JSON.</summary>
    public const string Summary = "summary.json";

    /// <summary>The human-readable log.</summary>
    public const string Log = "train.log";

    /// <summary>Held (an operating-system lock) by the one process that trains in the folder; see <see cref="RunFolderLock"/>.</summary>
    public const string Lock = "run.lock";
}
