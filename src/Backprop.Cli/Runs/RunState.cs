namespace Backprop.Cli.Runs;

/// <summary>How far a run in a run folder got.</summary>
internal enum RunState
{
    /// <summary>It trained every epoch (or stopped early) and saved its model.</summary>
    Finished,

    /// <summary>It was stopped (a signal, a failure, a kill) and can be resumed from its checkpoint.</summary>
    Interrupted,

    /// <summary>A process is still writing it: its files changed in the last two minutes and it has no final summary since.</summary>
    Running,
}
