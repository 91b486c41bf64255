namespace Backprop.Nn.Checkpoints;

/// <summary>The kinds of file this project writes in the checkpoint container.</summary>
public static class CheckpointKind
{
    /// <summary>A trained model: architecture and parameters, enough to predict.</summary>
    public const string Model = "model";

    /// <summary>A training run's full state: enough to resume it on the same trajectory.</summary>
    public const string Checkpoint = "checkpoint";
}
