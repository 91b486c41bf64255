namespace Backprop.Cli.Sweeps;

/// <summary>One combination of a grid's values.</summary>
/// <param name="Index">Its position in the full grid (the last axis changes fastest), so the same combination has the same id whether the grid is run whole or sampled.</param>
/// <param name="Id">Its run folder's name, e.g. <c>003-lr0.05-batch64</c>.</param>
/// <param name="Values">One value per axis, in the axes' order.</param>
internal sealed record Trial(long Index, string Id, IReadOnlyList<string> Values);
