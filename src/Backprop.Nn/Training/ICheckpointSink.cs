namespace Backprop.Nn.Training;

/// <summary>Writes a checkpoint of the trainer when asked; the trainer does not know files or formats.</summary>
public interface ICheckpointSink
{
    /// <summary>Save the trainer's network, optimiser and <see cref="Trainer.State"/> now, before the next step runs.</summary>
    /// <param name="trainer">The trainer, between two steps.</param>
    /// <param name="reason">Why.</param>
    void Save(Trainer trainer, CheckpointReason reason);
}
