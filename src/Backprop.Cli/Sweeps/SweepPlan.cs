namespace Backprop.Cli.Sweeps;

/// <summary>A sweep's grid and the trials drawn from it.</summary>
/// <param name="Axes">The swept settings.</param>
/// <param name="Trials">The combinations to train, in grid order.</param>
internal sealed record SweepPlan(IReadOnlyList<GridAxis> Axes, IReadOnlyList<Trial> Trials);
