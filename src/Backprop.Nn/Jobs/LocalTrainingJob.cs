using System.Diagnostics;
using Backprop.Nn.Checkpoints;
using Backprop.Nn.Data;
using Backprop.Nn.Evaluation;
using Backprop.Nn.Models;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Persistence;
using Backprop.Nn.Schedules;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Nn.Jobs;

/// <summary>
/// One training run on this machine, start to finish: data, model (fresh, or from a saved model for
/// fine-tuning), resume from the run folder's checkpoint, train with checkpoints, evaluate on the test
/// set, save the model. The cluster coordinator runs the same steps around its distributed trainer.
/// </summary>
public static class LocalTrainingJob
{
    /// <summary>Runs the job; returns when it finishes or is cancelled (after checkpointing).</summary>
    /// <param name="options">What to run.</param>
    /// <param name="observer">Told about progress; may be null.</param>
    /// <param name="log">Told about the run's milestones in plain words; may be null.</param>
    /// <param name="cancellation">Stops the run after the current step, with a checkpoint.</param>
    public static TrainingSummary Run(TrainingJobOptions options, ITrainingObserver? observer, Action<string>? log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wall = Stopwatch.StartNew();
        var settings = options.Settings;
        settings.Validate();
        Directory.CreateDirectory(options.RunDirectory);
        string checkpointPath = Path.Combine(options.RunDirectory, RunFiles.Checkpoint);
        RemoveUnfinishedWrites(options.RunDirectory);

        var start = settings.Training.InitFrom is { } initFrom ? ModelFile.Load(ResolveModelPath(initFrom)) : null;
        var data = PreparedData.Load(settings, start?.Scaler);
        log?.Invoke($"data: {data.Train.Count} training, {data.Validation?.Count ?? 0} validation, {data.Test?.Count ?? 0} test samples from {data.Train.Source}");

        var (spec, parameters) = start is null ? Fresh(settings, data.Train) : FineTune(settings, start, data.Train);
        using var gemm = new GemmEngine(new GemmOptions { Threads = settings.Training.Threads });
        var network = new Network(spec, parameters, gemm);
        var optimizer = new Optimizer(settings.Optimizer, network.Layout, settings.Training.FreezeLayers);
        int stepsPerEpoch = EpochOrder.BatchCount(data.Train.Count, settings.Training.BatchSize);
        var schedule = new LearningRateSchedule(settings.Schedule, settings.Optimizer.LearningRate, stepsPerEpoch, (long)stepsPerEpoch * settings.Training.Epochs);
        var trainer = new Trainer(network, optimizer, schedule, settings.Training, data.Train, data.Validation, data.Test);
        log?.Invoke($"model: {spec}, {network.Layout.Length:N0} parameters, {gemm.Threads} thread(s), {gemm.Path}");

        ulong fingerprint = data.Fingerprint();
        if (options.Resume && File.Exists(checkpointPath))
        {
            var checkpoint = TrainingCheckpoint.Load(checkpointPath);
            Resume(checkpoint, trainer, settings, fingerprint, checkpointPath);
            log?.Invoke($"resumed from {checkpointPath} at epoch {trainer.State.Epoch + 1}, step {trainer.State.Step}");
        }
        else if (options.Resume)
        {
            log?.Invoke($"no checkpoint in {options.RunDirectory} yet: starting from the beginning");
        }

        var saved = new SavedModel(spec, network.Parameters, data.Scaler, data.Train.Task, data.Train.ClassNames, data.Train.FeatureNames, options.ConfigText);
        var sink = new RunFolderCheckpoints(checkpointPath, saved, fingerprint);
        bool completed = trainer.Run(observer, sink, cancellation);

        string? modelPath = null;
        EvaluationReport? test = null;
        if (completed)
        {
            modelPath = Path.Combine(options.RunDirectory, RunFiles.Model);
            ModelFile.Save(modelPath, saved);
            test = data.Test is null ? null : new Evaluator(network).Evaluate(data.Test);
        }

        var history = trainer.State.History;
        var target = history.FirstOrDefault(e => e.TestAccuracy >= options.TargetAccuracy);
        return new TrainingSummary
        {
            Completed = completed,
            Model = spec.ToString(),
            Epochs = history.Count,
            Steps = trainer.State.Step,
            TrainSamplesPerSecond = SteadyThroughput(history),
            WallSeconds = wall.Elapsed.TotalSeconds,
            SecondsToTarget = target is null || history.Take(target.Epoch).Any(e => e.TrainSeconds == 0) ? null : history.Take(target.Epoch).Sum(e => e.TrainSeconds),
            EpochToTarget = target?.Epoch,
            TargetAccuracy = options.TargetAccuracy,
            StoppedEarly = trainer.State.StoppedEarly,
            ModelPath = modelPath,
            CheckpointPath = checkpointPath,
            Test = test,
            History = history,
            Samples = (data.Train.Count, data.Validation?.Count ?? 0, data.Test?.Count ?? 0),
        };
    }

    /// <summary>A model path as the user gave it: a model file, or a run folder holding one.</summary>
    /// <param name="path">The path.</param>
    public static string ResolveModelPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Directory.Exists(path) ? Path.Combine(path, RunFiles.Model) : path;
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

    /// <summary>Median samples/s over epochs 2..N trained in this process (all epochs if only the first was).</summary>
    private static double SteadyThroughput(IReadOnlyList<EpochReport> history)
    {
        var rates = history.Where(e => e.TrainSeconds > 0).Select(e => (e.Epoch, Rate: e.SamplesPerSecond)).ToList();
        var steady = rates.Where(r => r.Epoch >= 2).Select(r => r.Rate).Order().ToList();
        if (steady.Count == 0)
        {
            steady = [.. rates.Select(r => r.Rate).Order()];
        }

        return steady.Count == 0 ? 0 : steady.Count % 2 == 1 ? steady[steady.Count / 2] : (steady[(steady.Count / 2) - 1] + steady[steady.Count / 2]) / 2;
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

    private static void Resume(TrainingCheckpoint checkpoint, Trainer trainer, BackpropSettings settings, ulong fingerprint, string path)
    {
        if (!checkpoint.Model.Spec.Equals(trainer.Network.Spec))
        {
            throw new CheckpointFormatException(path, $"{path} holds a {checkpoint.Model.Spec} model; this run builds {trainer.Network.Spec}. Resume with the run folder's own config.conf.");
        }

        if (checkpoint.OptimizerKind != settings.Optimizer.Kind.ToString())
        {
            throw new CheckpointFormatException(path, $"{path} was written by the {checkpoint.OptimizerKind} optimiser; this run uses {settings.Optimizer.Kind}.");
        }

        if (checkpoint.DataFingerprint != fingerprint)
        {
            throw new CheckpointFormatException(path, $"{path} was written while training on other data (or other splits or scaling): resuming on this data would not continue the same run.");
        }

        checkpoint.Model.Parameters.CopyTo(trainer.Network.Parameters, 0);
        trainer.Optimizer.Restore(checkpoint.OptimizerSteps, checkpoint.OptimizerState);
        trainer.Restore(checkpoint.State);
    }

    /// <summary>Writes the trainer's state as the run folder's checkpoint.</summary>
    private sealed class RunFolderCheckpoints(string path, SavedModel model, ulong fingerprint) : ICheckpointSink
    {
        public void Save(Trainer trainer, CheckpointReason reason) =>
            new TrainingCheckpoint(model, trainer.Optimizer.Settings.Kind.ToString(), trainer.Optimizer.Steps, trainer.Optimizer.State, trainer.State, fingerprint).Save(path);
    }
}
