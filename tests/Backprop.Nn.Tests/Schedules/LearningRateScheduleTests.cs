using Backprop.Nn.Schedules;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Tests.Schedules;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Constant_schedule_should_keep_the_base_rate()
    {
        var schedule = new LearningRateSchedule(new ScheduleSettings(), 0.05, stepsPerEpoch: 10, totalSteps: 100);
        Assert.Equal(0.05, schedule.Rate(0));
        Assert.Equal(0.05, schedule.Rate(99));
    }

    [Fact]
    public void Step_schedule_should_multiply_by_gamma_every_step_epochs()
    {
        var schedule = new LearningRateSchedule(new ScheduleSettings { Kind = ScheduleKind.Step, StepEpochs = 3, Gamma = 0.5 }, 0.8, stepsPerEpoch: 10, totalSteps: 100);
        Assert.Equal(0.8, schedule.Rate(29), 12);
        Assert.Equal(0.4, schedule.Rate(30), 12);
        Assert.Equal(0.4, schedule.Rate(59), 12);
        Assert.Equal(0.2, schedule.Rate(60), 12);
    }

    [Fact]
    public void Exponential_schedule_should_multiply_by_gamma_every_epoch()
    {
        var schedule = new LearningRateSchedule(new ScheduleSettings { Kind = ScheduleKind.Exponential, Gamma = 0.9 }, 1.0, stepsPerEpoch: 4, totalSteps: 40);
        Assert.Equal(1.0, schedule.Rate(3), 12);
        Assert.Equal(0.9, schedule.Rate(4), 12);
        Assert.Equal(0.9 * 0.9 * 0.9, schedule.Rate(13), 12);
    }

    [Fact]
    public void Cosine_schedule_should_follow_half_a_cosine_from_base_to_minimum()
    {
        var schedule = new LearningRateSchedule(new ScheduleSettings { Kind = ScheduleKind.Cosine, MinLearningRate = 0.01 }, 0.11, stepsPerEpoch: 10, totalSteps: 100);
        Assert.Equal(0.11, schedule.Rate(0), 12);
        Assert.Equal(0.06, schedule.Rate(50), 12);
        Assert.Equal(0.01 + (0.1 * (1 + Math.Cos(Math.PI * 0.25)) / 2), schedule.Rate(25), 12);
        Assert.Equal(0.01, schedule.Rate(100), 12);
    }

    [Fact]
    public void Warm_up_should_rise_linearly_to_the_scheduled_rate()
    {
        var schedule = new LearningRateSchedule(new ScheduleSettings { WarmupSteps = 4 }, 0.2, stepsPerEpoch: 10, totalSteps: 100);
        Assert.Equal(0.05, schedule.Rate(0), 12);
        Assert.Equal(0.10, schedule.Rate(1), 12);
        Assert.Equal(0.20, schedule.Rate(3), 12);
        Assert.Equal(0.20, schedule.Rate(4), 12);
    }
}
