namespace Backprop.Nn.Training;

/// <summary>Why the trainer asks for a checkpoint.</summary>
public enum CheckpointReason
{
    /// <summary>Every <c>checkpoint-every</c> steps.</summary>
    Periodic,

    /// <summary>At the end of every epoch.</summary>
    EpochEnd,

    /// <summary>The run was interrupted (Ctrl+C, SIGTERM) and stops after this step.</summary>
    Interrupted,
}
