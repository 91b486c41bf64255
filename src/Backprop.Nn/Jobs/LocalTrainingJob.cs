using System.Diagnostics;
using Backprop.Nn.Evaluation;
using Backprop.Nn.Models;
using Backprop.Nn.Persistence;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Nn.Jobs;

/// <summary>
/// One training run on this machine, start to finish: the <see cref="TrainingSetup"/>, training with
/// checkpoints, evaluation on the test set, the saved model. The cluster coordinator runs the same
/// setup and ending around its distributed step.
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
        var setup = TrainingSetup.Create(options, log);
        using var gemm = new GemmEngine(new GemmOptions { Threads = setup.Settings.Training.Threads });
        var network = new Network(setup.Spec, setup.Parameters, gemm);
        var data = setup.Data;
        var trainer = new Trainer(network, setup.Optimizer, setup.Schedule, setup.Settings.Training, data.Train, data.Validation, data.Test);
        if (setup.Resumed)
        {
            trainer.Restore(setup.State);
        }

        log?.Invoke($"model: {setup.Spec}, {network.Layout.Length:N0} parameters, {gemm.Threads} thread(s), {gemm.Path}");
        bool completed = trainer.Run(observer, new RunFolderCheckpoints(setup), cancellation);

        EvaluationReport? test = null;
        if (completed)
        {
            ModelFile.Save(setup.ModelPath, setup.Model(network.Parameters));
            test = data.Test is null ? null : new Evaluator(network).Evaluate(data.Test);
        }

        return TrainingSummary.From(setup, trainer.State, completed, test, wall.Elapsed.TotalSeconds);
    }

    /// <summary>A model path as the user gave it: a model file, or a run folder holding one.</summary>
    /// <param name="path">The path.</param>
    public static string ResolveModelPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Directory.Exists(path) ? Path.Combine(path, RunFiles.Model) : path;
    }

    /// <summary>Writes the trainer's state as the run folder's checkpoint.</summary>
    private sealed class RunFolderCheckpoints(TrainingSetup setup) : ICheckpointSink
    {
        public void Save(Trainer trainer, CheckpointReason reason) =>
            setup.SaveCheckpoint(trainer.Network.Parameters, trainer.Optimizer.Steps, trainer.Optimizer.State, trainer.State);
    }
}
