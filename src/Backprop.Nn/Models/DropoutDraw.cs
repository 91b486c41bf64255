namespace Backprop.Nn.Models;

/// <summary>
/// Which dropout masks a training batch gets: a pure function of the run's seed, the global step
/// and each sample's position in the global batch, so a batch cut into slices across workers draws
/// exactly the masks the whole batch draws locally, and a resumed run draws what it would have.
/// </summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="Step">The global step (0-based).</param>
/// <param name="FirstSample">Position of this batch's first row within the global batch.</param>
public readonly record struct DropoutDraw(long Seed, long Step, int FirstSample);
