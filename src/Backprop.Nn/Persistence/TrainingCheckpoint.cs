using Backprop.Nn.Checkpoints;
using Backprop.Nn.Training;

namespace Backprop.Nn.Persistence;

/// <summary>
/// A training checkpoint: the model (as in a model file), the optimiser's state and step count, the
/// trainer's position and early-stopping state, and a fingerprint of the training data. Written
/// atomically: the previous checkpoint stays readable until the new one has replaced it whole.
/// </summary>
/// <param name="Model">The model at the checkpoint.</param>
/// <param name="OptimizerKind">The update rule, to refuse resuming with another.</param>
/// <param name="OptimizerSteps">Updates applied.</param>
/// <param name="OptimizerState">The optimiser's buffers, in its order.</param>
/// <param name="State">The trainer's position.</param>
/// <param name="DataFingerprint">A hash of the training set, to refuse resuming on other data.</param>
public sealed record TrainingCheckpoint(
    SavedModel Model,
    string OptimizerKind,
    long OptimizerSteps,
    IReadOnlyList<float[]> OptimizerState,
    TrainingState State,
    ulong DataFingerprint)
{
    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file.</param>
    public void Save(string path) => CheckpointFile.WriteAtomic(path, CheckpointKind.Checkpoint, writer =>
    {
        ModelFile.Write(writer, Model);
        writer.AddString("optimizer.kind", OptimizerKind);
        writer.AddInt64("optimizer.steps", OptimizerSteps);
        writer.AddInt64("optimizer.buffers", OptimizerState.Count);
        for (int i = 0; i < OptimizerState.Count; i++)
        {
            writer.AddFloats($"optimizer.buffer.{i}", OptimizerState[i]);
        }

        writer.AddString("training.state", SpecJson.WriteState(State));
        if (State.BestParameters is { } best)
        {
            writer.AddFloats("training.best-parameters", best);
        }

        writer.AddInt64("data.fingerprint", unchecked((long)DataFingerprint));
    });

    /// <summary>Reads a checkpoint file, checking its structure, checksum and contents.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="CheckpointFormatException">Not a readable checkpoint; the message says why.</exception>
    public static TrainingCheckpoint Load(string path)
    {
        var reader = CheckpointFile.Read(path, CheckpointKind.Checkpoint);
        var model = ModelFile.Read(reader);
        long buffers = reader.Int64("optimizer.buffers");
        if (buffers is < 0 or > 8)
        {
            throw new CheckpointFormatException(path, $"{path}: {buffers} optimiser buffers is not plausible.");
        }

        var state = new List<float[]>();
        for (int i = 0; i < buffers; i++)
        {
            var buffer = reader.Floats($"optimizer.buffer.{i}");
            if (buffer.Length != model.Parameters.Length)
            {
                throw new CheckpointFormatException(path, $"{path}: optimiser buffer {i} has {buffer.Length} values for {model.Parameters.Length} parameters.");
            }

            state.Add(buffer);
        }

        var best = reader.Has("training.best-parameters") ? reader.Floats("training.best-parameters") : null;
        return new TrainingCheckpoint(
            model,
            reader.String("optimizer.kind"),
            reader.Int64("optimizer.steps"),
            state,
            SpecJson.ReadState(reader.String("training.state"), best, path),
            unchecked((ulong)reader.Int64("data.fingerprint")));
    }
}
