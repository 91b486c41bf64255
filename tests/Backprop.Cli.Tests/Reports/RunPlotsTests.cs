using Backprop.Cli.Metrics;
using Backprop.Cli.Plots;

namespace Backprop.Cli.Tests.Reports;

/// <summary>Plots are a view of a run: drawing them can fail, the run must not.</summary>
public sealed class RunPlotsTests
{
    [Fact]
    public void A_plot_that_cannot_be_written_should_be_a_warning_not_an_exception()
    {
        var lines = MetricsFile.Parse([
            """{"kind":"epoch","epoch":1,"step":10,"train_loss":0.9,"lr":0.1,"samples_per_sec":100,"wall_s":1}""",
            """{"kind":"epoch","epoch":2,"step":20,"train_loss":0.7,"lr":0.1,"samples_per_sec":120,"wall_s":2}""",
        ]);
        var warnings = new List<string>();
        string folder = Path.Combine(Path.GetTempPath(), "backprop-no-such-folder-" + Guid.NewGuid().ToString("N"), "run");

        var written = RunPlots.Write(folder, lines, null, warnings.Add);

        Assert.Empty(written);
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Contains(folder, w, StringComparison.Ordinal));
    }

    [Fact]
    public void A_half_written_last_line_should_be_skipped()
    {
        var lines = MetricsFile.Parse([
            """{"kind":"epoch","epoch":1,"step":10,"train_loss":0.9,"lr":0.1,"samples_per_sec":100,"wall_s":1}""",
            """{"kind":"step","epoch":2,"step":1""",
        ]);
        Assert.Equal(10, Assert.Single(lines).Step);
    }
}
