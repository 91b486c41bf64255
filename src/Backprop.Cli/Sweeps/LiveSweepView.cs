using Spectre.Console;

namespace Backprop.Cli.Sweeps;

/// <summary>The sweep's table, redrawn in place on a terminal as trials start and end.</summary>
/// <param name="context">The live display the table is drawn in.</param>
internal sealed class LiveSweepView(LiveDisplayContext context) : ISweepView
{
    /// <inheritdoc/>
    public void Update(SweepRecord sweep, TrialRecord changed)
    {
        context.UpdateTarget(SweepTable.Render(sweep));
        context.Refresh();
    }
}
