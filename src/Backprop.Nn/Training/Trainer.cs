using System.Diagnostics;
using System.Numerics.Tensors;
using Backprop.Nn.Data;
using Backprop.Nn.Evaluation;
using Backprop.Nn.Models;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Schedules;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Training;

/// <summary>
/// Trains a network over epochs of seeded, shuffled mini-batches: gather the batch, compute the
/// gradient of the summed loss, apply the optimiser with the schedule's rate; after each epoch,
/// evaluate, apply early stopping and ask for a checkpoint. Every choice is a function of the seed,
/// the epoch and the step, so a run resumed from any checkpoint follows the same trajectory.
/// </summary>
/// <remarks>
/// With <c>slices</c> above 1 each batch is cut into that many contiguous slices
/// (<see cref="BatchSlicing"/>) whose gradients are computed apart and summed in slice order: what a
/// cluster of that many workers computes, bit for bit.
/// </remarks>
public sealed class Trainer
{
    private readonly Network _network;
    private readonly Optimizer _optimizer;
    private readonly LearningRateSchedule _schedule;
    private readonly TrainingSettings _settings;
    /// <summary>Floats of features up to which a whole epoch is laid out in shuffled order (1 GiB).</summary>
    private const long EpochCopyBudget = 1L << 28;

    private readonly Dataset _train;
    private readonly Dataset? _validation;
    private readonly Dataset? _test;
    private readonly int _slices;
    private readonly NetworkWorkspace _workspace;
    private readonly BatchBuffer _batch;
    private readonly BatchBuffer? _epochData;
    private readonly float[] _gradient;
    private readonly float[] _sliceGradient;
    private readonly int[] _order;
    private readonly Evaluator _evaluator;

    // The run's position, kept in fields so that a step allocates nothing; State snapshots them.
    private TrainingState _checkpointed = new();
    private int _epoch;
    private int _nextBatch;
    private long _step;
    private double _epochLossSum;
    private long _epochCorrect;
    private long _epochSamples;

    /// <summary>A trainer at the start of a run.</summary>
    /// <param name="network">The network; its parameters are trained in place.</param>
    /// <param name="optimizer">The update rule (its frozen layers get no gradient).</param>
    /// <param name="schedule">The learning rate per step.</param>
    /// <param name="settings">Epochs, batch size, seed, early stopping, checkpoint interval.</param>
    /// <param name="train">The training set, scaled.</param>
    /// <param name="validation">The validation split, scaled; null for none.</param>
    /// <param name="test">The test set, scaled, evaluated after every epoch for the record; null for none.</param>
    /// <param name="slices">Slices per batch (the cluster reference); 1 for plain training.</param>
    public Trainer(
        Network network,
        Optimizer optimizer,
        LearningRateSchedule schedule,
        TrainingSettings settings,
        Dataset train,
        Dataset? validation = null,
        Dataset? test = null,
        int slices = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        settings.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException($"{train.Source} has no training samples.", nameof(train));
        }

        _network = network;
        _optimizer = optimizer;
        _schedule = schedule;
        _settings = settings;
        _train = train;
        _validation = validation;
        _test = test;
        _slices = slices;
        _workspace = network.CreateWorkspace(settings.BatchSize);
        _batch = new BatchBuffer(train, settings.BatchSize);

        // A training set that fits the budget is laid out in the epoch's shuffled order once per epoch
        // (as PyTorch's reference does), so every batch is a contiguous span and the shuffle stays out of
        // the step; a larger one is gathered batch by batch, and so is a mapped one, whose point is not to
        // be copied into memory whole.
        _epochData = !train.IsMapped && (long)train.Count * train.FeatureCount <= EpochCopyBudget ? new BatchBuffer(train, train.Count) : null;
        _gradient = new float[network.Layout.Length];
        _sliceGradient = slices > 1 ? new float[network.Layout.Length] : [];
        _order = new int[train.Count];
        _evaluator = new Evaluator(network);
    }

    /// <summary>The network being trained.</summary>
    public Network Network => _network;

    /// <summary>The optimiser and its state.</summary>
    public Optimizer Optimizer => _optimizer;

    /// <summary>Where the run is: a snapshot, taken between steps.</summary>
    public TrainingState State => _checkpointed with
    {
        Epoch = _epoch,
        NextBatch = _nextBatch,
        Step = _step,
        EpochLossSum = _epochLossSum,
        EpochCorrect = _epochCorrect,
        EpochSamples = _epochSamples,
    };

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => EpochOrder.BatchCount(_train.Count, _settings.BatchSize);

    /// <summary>Continues from a checkpoint's state (its parameters and optimiser state restored separately).</summary>
    /// <param name="state">The saved state.</param>
    public void Restore(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.NextBatch > BatchesPerEpoch || state.Step != ((long)state.Epoch * BatchesPerEpoch) + state.NextBatch)
        {
            throw new ArgumentException(
                $"The checkpoint is at epoch {state.Epoch + 1}, batch {state.NextBatch}, step {state.Step}, which does not fit {BatchesPerEpoch} batches per epoch: was it written with another batch size or dataset?",
                nameof(state));
        }

        _checkpointed = state;
        _epoch = state.Epoch;
        _nextBatch = state.NextBatch;
        _step = state.Step;
        _epochLossSum = state.EpochLossSum;
        _epochCorrect = state.EpochCorrect;
        _epochSamples = state.EpochSamples;
    }

    /// <summary>Trains until the last epoch, early stopping, or cancellation (which checkpoints and returns).</summary>
    /// <param name="observer">Told about progress; may be null.</param>
    /// <param name="checkpoints">Asked to save at the configured points; may be null.</param>
    /// <param name="cancellation">Stops the run after the current step.</param>
    /// <returns>True if the run finished, false if it was cancelled.</returns>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite; that step was not applied.</exception>
    public bool Run(ITrainingObserver? observer, ICheckpointSink? checkpoints, CancellationToken cancellation)
    {
        int batches = BatchesPerEpoch;
        while (_epoch < _settings.Epochs && !_checkpointed.StoppedEarly)
        {
            int epoch = _epoch;
            EpochOrder.Fill(_settings.Seed, epoch, _order);
            _epochData?.Gather(_order);
            var source = _epochData ?? _batch;
            long epochStart = Stopwatch.GetTimestamp();
            long pausedTicks = 0;
            long samplesHere = 0;
            double lastRate = 0;
            for (int b = _nextBatch; b < batches; b++)
            {
                if (cancellation.IsCancellationRequested)
                {
                    checkpoints?.Save(this, CheckpointReason.Interrupted);
                    return false;
                }

                int first = b * _settings.BatchSize;
                int rows = Math.Min(_settings.BatchSize, _train.Count - first);
                if (_epochData is null)
                {
                    _batch.Gather(_order.AsSpan(first, rows));
                    first = 0;
                }

                lastRate = _schedule.Rate(_step);
                var result = ComputeGradient(source, first, rows, _step);
                if (!double.IsFinite(result.LossSum))
                {
                    throw new TrainingDivergedException(epoch + 1, _step + 1, result.LossSum);
                }

                _optimizer.Step(_network.Parameters, _gradient, rows, lastRate);
                samplesHere += rows;
                _nextBatch = b + 1;
                _step++;
                _epochLossSum += result.LossSum;
                _epochCorrect += result.Correct;
                _epochSamples += rows;

                double elapsed = Stopwatch.GetElapsedTime(epochStart).TotalSeconds - ((double)pausedTicks / Stopwatch.Frequency);
                observer?.StepCompleted(new TrainingProgress(
                    epoch + 1, _settings.Epochs, b + 1, batches, _step, _epochLossSum / _epochSamples, TrainAccuracy(), samplesHere / Math.Max(elapsed, 1e-9), lastRate));

                if (_settings.CheckpointEvery > 0 && _step % _settings.CheckpointEvery == 0 && b + 1 < batches)
                {
                    long pause = Stopwatch.GetTimestamp();
                    checkpoints?.Save(this, CheckpointReason.Periodic);
                    pausedTicks += Stopwatch.GetTimestamp() - pause;
                }
            }

            double trainSeconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds - ((double)pausedTicks / Stopwatch.Frequency);
            var report = FinishEpoch(epoch, lastRate == 0 ? _schedule.Rate(Math.Max(0, _step - 1)) : lastRate, trainSeconds, samplesHere);
            checkpoints?.Save(this, CheckpointReason.EpochEnd);
            observer?.EpochCompleted(report);
        }

        if (_settings.EarlyStopping.RestoreBest && _checkpointed.BestParameters is { } best)
        {
            best.CopyTo(_network.Parameters, 0);
        }

        return true;
    }

    /// <summary>The gradient of the batch in rows [first, first + rows) of <paramref name="source"/>.</summary>
    private BatchResult ComputeGradient(BatchBuffer source, int offset, int rows, long step)
    {
        if (_slices == 1)
        {
            return _network.ComputeGradient(
                source.X(offset, rows), rows, source.LabelsOf(offset, rows), source.TargetsOf(offset, rows), _gradient, _workspace, new DropoutDraw(_settings.Seed, step, 0), _optimizer.FrozenLayers);
        }

        // The cluster's sum: each slice's gradient alone, then added in rank order.
        double loss = 0;
        int correct = 0;
        bool first = true;
        for (int rank = 0; rank < _slices; rank++)
        {
            var (start, count) = BatchSlicing.Slice(rows, _slices, rank);
            if (count == 0)
            {
                continue;
            }

            var target = first ? _gradient : _sliceGradient;
            var result = _network.ComputeGradient(
                source.X(offset + start, count), count, source.LabelsOf(offset + start, count), source.TargetsOf(offset + start, count), target, _workspace, new DropoutDraw(_settings.Seed, step, start), _optimizer.FrozenLayers);
            if (!first)
            {
                TensorPrimitives.Add(_gradient, _sliceGradient, _gradient);
            }

            first = false;
            loss += result.LossSum;
            correct += result.Correct;
        }

        return new BatchResult(rows, loss, correct);
    }

    private EpochReport FinishEpoch(int epoch, double rate, double trainSeconds, long samplesHere)
    {
        var report = EpochClose.Report(
            epoch,
            _step,
            rate,
            _epochLossSum,
            _epochCorrect,
            _epochSamples,
            _train.Task == TaskKind.Classification,
            EpochClose.Score(_evaluator, _validation),
            EpochClose.Score(_evaluator, _test)) with
        { TrainSeconds = trainSeconds, TrainSamples = samplesHere };

        _checkpointed = EpochClose.Apply(State, report, _settings.EarlyStopping, _network.Parameters);
        _epoch = epoch + 1;
        _nextBatch = 0;
        _epochLossSum = 0;
        _epochCorrect = 0;
        _epochSamples = 0;
        return report;
    }

    private double? TrainAccuracy() =>
        _train.Task == TaskKind.Classification && _epochSamples > 0 ? (double)_epochCorrect / _epochSamples : null;
}
