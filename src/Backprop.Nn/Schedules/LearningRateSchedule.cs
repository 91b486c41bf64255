using Backprop.Nn.Settings;

namespace Backprop.Nn.Schedules;

/// <summary>
/// The learning rate of every step, a pure function of the global step: the configured schedule
/// (constant, step, exponential, cosine), preceded by an optional linear warm-up from 0.
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly ScheduleSettings _settings;

    /// <summary>A schedule over a run of <paramref name="totalSteps"/> steps.</summary>
    /// <param name="settings">The schedule.</param>
    /// <param name="baseRate">The optimiser's learning rate.</param>
    /// <param name="stepsPerEpoch">Steps in one epoch.</param>
    /// <param name="totalSteps">Steps in the whole run (where cosine annealing ends).</param>
    public LearningRateSchedule(ScheduleSettings settings, double baseRate, int stepsPerEpoch, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        _settings = settings;
        BaseRate = baseRate;
        StepsPerEpoch = stepsPerEpoch;
        TotalSteps = totalSteps;
    }

    /// <summary>The rate the schedule scales.</summary>
    public double BaseRate { get; }

    /// <summary>Steps in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Steps in the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>The rate of global step <paramref name="step"/> (0-based).</summary>
    /// <param name="step">The step.</param>
    public double Rate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        long epoch = step / StepsPerEpoch;
        double rate = _settings.Kind switch
        {
            ScheduleKind.Step => BaseRate * Math.Pow(_settings.Gamma, epoch / _settings.StepEpochs),
            ScheduleKind.Exponential => BaseRate * Math.Pow(_settings.Gamma, epoch),
            ScheduleKind.Cosine => _settings.MinLearningRate
                + ((BaseRate - _settings.MinLearningRate) * (1 + Math.Cos(Math.PI * Math.Min(step, TotalSteps) / TotalSteps)) / 2),
            _ => BaseRate,
        };
        return step < _settings.WarmupSteps ? rate * (step + 1) / _settings.WarmupSteps : rate;
    }
}
