using Backprop.Nn.Checkpoints;
using Backprop.Nn.Data;
using Backprop.Nn.Models;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Persistence;
using Backprop.Nn.Schedules;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;

namespace Backprop.Nn.Jobs;

/// <summary>
/// Everything a run needs before its first step, the same for local and cluster training: the run
/// folder, the data prepared and fingerprinted, the model (fresh, or from a saved model for
/// fine-tuning), the optimiser and schedule, and — when resuming — the parameters, optimiser state
/// and position of the run folder's checkpoint, each checked against this run.
/// </summary>
public sealed class TrainingSetup
{
    private TrainingSetup(
        TrainingJobOptions options, PreparedData data, ModelSpec spec, float[] parameters, Optimizer optimizer, LearningRateSchedule schedule, TrainingState state, bool resumed)
    {
        Options = options;
        Data = data;
        Spec = spec;
        Parameters = parameters;
        Optimizer = optimizer;
        Schedule = schedule;
        State = state;
        Resumed = resumed;
        Fingerprint = data.Fingerprint();
    }

    /// <summary>What the run was asked to do.</summary>
    public TrainingJobOptions Options { get; }

    /// <summary>The run's settings.</summary>
    public BackpropSettings Settings => Options.Settings;

    /// <summary>The prepared data.</summary>
    public PreparedData Data { get; }

    /// <summary>The architecture.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The parameters to start from.</summary>
    public float[] Parameters { get; }

    /// <summary>The optimiser, with restored state when resuming.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate per step.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>Where the run starts: the beginning, or the checkpoint's position.</summary>
    public TrainingState State { get; }

    /// <summary>Whether it continues a checkpoint.</summary>
    public bool Resumed { get; }

    /// <summary>The fingerprint of the scaled training split.</summary>
    public ulong Fingerprint { get; }

    /// <summary>Steps per epoch.</summary>
    public int BatchesPerEpoch => EpochOrder.BatchCount(Data.Train.Count, Settings.Training.BatchSize);

    /// <summary>The run folder's checkpoint file.</summary>
    public string CheckpointPath => Path.Combine(Options.RunDirectory, RunFiles.Checkpoint);

    /// <summary>The run folder's final model file.</summary>
    public string ModelPath => Path.Combine(Options.RunDirectory, RunFiles.Model);

    /// <summary>Prepares the run.</summary>
    /// <param name="options">What to run.</param>
    /// <param name="log">Told about the milestones; may be null.</param>
    public static TrainingSetup Create(TrainingJobOptions options, Action<string>? log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Settings;
        settings.Validate();
        Directory.CreateDirectory(options.RunDirectory);
        RemoveUnfinishedWrites(options.RunDirectory);

        var start = settings.Training.InitFrom is { } initFrom ? ModelFile.Load(LocalTrainingJob.ResolveModelPath(initFrom)) : null;
        var data = PreparedData.Load(settings, start?.Scaler);
        log?.Invoke($"data: {data.Train.Count} training, {data.Validation?.Count ?? 0} validation, {data.Test?.Count ?? 0} test samples from {data.Train.Source}");

        var (spec, parameters) = start is null ? Fresh(settings, data.Train) : FineTune(settings, start, data.Train);
        var optimizer = new Optimizer(settings.Optimizer, new Parameters.ParameterLayout(spec.Widths), settings.Training.FreezeLayers);
        int stepsPerEpoch = EpochOrder.BatchCount(data.Train.Count, settings.Training.BatchSize);
        var schedule = new LearningRateSchedule(settings.Schedule, settings.Optimizer.LearningRate, stepsPerEpoch, (long)stepsPerEpoch * settings.Training.Epochs);

        var checkpointPath = Path.Combine(options.RunDirectory, RunFiles.Checkpoint);
        var state = new TrainingState();
        bool resumed = false;
        if (options.Resume && File.Exists(checkpointPath))
        {
            var checkpoint = TrainingCheckpoint.Load(checkpointPath);
            Check(checkpoint, spec, settings, data.Fingerprint(), checkpointPath);
            checkpoint.Model.Parameters.CopyTo(parameters, 0);
            optimizer.Restore(checkpoint.OptimizerSteps, checkpoint.OptimizerState);
            state = checkpoint.State;
            resumed = true;
            log?.Invoke($"resumed from {checkpointPath} at epoch {state.Epoch + 1}, step {state.Step}");
        }
        else if (options.Resume)
        {
            log?.Invoke($"no checkpoint in {options.RunDirectory} yet: starting from the beginning");
        }

        return new TrainingSetup(options, data, spec, parameters, optimizer, schedule, state, resumed);
    }

    /// <summary>The model to save: this run's architecture, scaling and names over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to save.</param>
    public SavedModel Model(float[] parameters) =>
        new(Spec, parameters, Data.Scaler, Data.Train.Task, Data.Train.ClassNames, Data.Train.FeatureNames, Options.ConfigText);

    /// <summary>Writes the run folder's checkpoint atomically.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="optimizerSteps">The optimiser's update count.</param>
    /// <param name="optimizerState">The optimiser's buffers.</param>
    /// <param name="state">The position.</param>
    public void SaveCheckpoint(float[] parameters, long optimizerSteps, IReadOnlyList<float[]> optimizerState, TrainingState state) =>
        new TrainingCheckpoint(Model(parameters), Settings.Optimizer.Kind.ToString(), optimizerSteps, optimizerState, state, Fingerprint).Save(CheckpointPath);

    private static void Check(TrainingCheckpoint checkpoint, ModelSpec spec, BackpropSettings settings, ulong fingerprint, string path)
    {
        if (!checkpoint.Model.Spec.Equals(spec))
        {
            throw new CheckpointFormatException(path, $"{path} holds a {checkpoint.Model.Spec} model; this run builds {spec}. Resume with the run folder's own config.conf.");
        }

        if (checkpoint.OptimizerKind != settings.Optimizer.Kind.ToString())
        {
            throw new CheckpointFormatException(path, $"{path} was written by the {checkpoint.OptimizerKind} optimiser; this run uses {settings.Optimizer.Kind}.");
        }

        if (checkpoint.DataFingerprint != fingerprint)
        {
            throw new CheckpointFormatException(path, $"{path} was written while training on other data (or other splits or scaling): resuming on this data would not continue the same run.");
        }
    }

    /// <summary>
    /// Deletes temporary files that a write interrupted by a crash left beside a checkpoint or model:
    /// the files they would have replaced are intact, so nothing in them is needed.
    /// </summary>
    private static void RemoveUnfinishedWrites(string runDirectory)
    {
        foreach (string name in new[] { RunFiles.Checkpoint, RunFiles.Model })
        {
            foreach (string leftover in Directory.EnumerateFiles(runDirectory, $".{name}.*.tmp"))
            {
                File.Delete(leftover);
            }
        }
    }

    private static (ModelSpec Spec, float[] Parameters) Fresh(BackpropSettings settings, Dataset train)
    {
        var spec = NetworkFactory.Resolve(settings.Model, train);
        return (spec, NetworkFactory.InitialParameters(spec, settings.Model, settings.Training.Seed));
    }

    /// <summary>The saved model's architecture and weights, with a fresh output layer for new classes if asked.</summary>
    private static (ModelSpec Spec, float[] Parameters) FineTune(BackpropSettings settings, SavedModel start, Dataset train)
    {
        var training = settings.Training;
        if (training.FreezeLayers > start.Spec.Hidden.Count + 1)
        {
            throw new InvalidSettingException(
                "backprop.training.freeze-layers", $"is {training.FreezeLayers}, but the model has {start.Spec.Hidden.Count + 1} layers.");
        }

        if (!training.ReplaceOutput)
        {
            if (start.Task != train.Task || !start.ClassNames.SequenceEqual(train.ClassNames))
            {
                throw new InvalidSettingException(
                    "backprop.training.replace-output",
                    $"the model predicts {Describe(start.Task, start.ClassNames)} but {train.Source} has {Describe(train.Task, train.ClassNames)}; set replace-output (--replace-output) to train a new output layer for them.");
            }

            return (start.Spec, (float[])start.Parameters.Clone());
        }

        // Keep every hidden layer, draw a new output layer for this data's classes or targets.
        var probe = settings.Model with { Layers = [.. start.Spec.Hidden.Select(h => new LayerSettings { Units = h.Units, Activation = h.Activation, Dropout = h.Dropout })], Inputs = null, Outputs = null };
        var spec = NetworkFactory.Resolve(probe, train) with { Hidden = start.Spec.Hidden };
        var parameters = NetworkFactory.InitialParameters(spec, probe, training.Seed);
        var oldLayout = new Parameters.ParameterLayout(start.Spec.Widths);
        var newLayout = new Parameters.ParameterLayout(spec.Widths);
        for (int l = 0; l < start.Spec.Hidden.Count; l++)
        {
            oldLayout.Weight(l).Of(start.Parameters.AsSpan()).CopyTo(newLayout.Weight(l).Of(parameters.AsSpan()));
            oldLayout.Bias(l).Of(start.Parameters.AsSpan()).CopyTo(newLayout.Bias(l).Of(parameters.AsSpan()));
        }

        return (spec, parameters);
    }

    private static string Describe(TaskKind task, IReadOnlyList<string> classes) => task == TaskKind.Classification
        ? $"{classes.Count} classes ({string.Join(", ", classes.Take(5))}{(classes.Count > 5 ? ", …" : string.Empty)})"
        : "regression targets";
}
