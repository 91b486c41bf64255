using Backprop.Cli.Rendering;
using Backprop.Cluster.Coordinator;
using Backprop.Nn.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Backprop.Cli.Tests.Rendering;

/// <summary>The live view's parts rendered to plain text, as a terminal would show them.</summary>
public sealed class LiveViewRenderingTests
{
    [Fact]
    public void The_worker_table_should_show_each_worker_and_the_steps_accounting()
    {
        var table = new WorkerTable(
            10,
            new StepAccount(9, 1, 19, 1),
            new Dictionary<string, long> { ["stale"] = 2 },
            [
                new WorkerRow("w-a", "127.0.0.1:4001", WorkerState.InSteps, 0, 10, 640, 1234.4, 2.54, 1.25, 0),
                new WorkerRow("w-b", "127.0.0.1:4002", WorkerState.Lost, null, 9, 576, 0, 3, 1, 2),
            ]);

        string text = RenderToString(WorkerTableView.Render(table));

        Assert.Contains("127.0.0.1:4001", text, StringComparison.Ordinal);
        Assert.Contains("in steps", text, StringComparison.Ordinal);
        Assert.Contains("lost", text, StringComparison.Ordinal);
        Assert.Contains("1,234", text, StringComparison.Ordinal);
        Assert.Contains("2.5", text, StringComparison.Ordinal);
        Assert.Contains("grad ms", text, StringComparison.Ordinal);
        Assert.Contains("1 short-handed of 10 steps", text, StringComparison.Ordinal);
        Assert.Contains("(stale 2)", text, StringComparison.Ordinal);
        var rankColumn = text.Split('\n').Where(l => l.Contains("127.0.0.1:400", StringComparison.Ordinal)).Select(l => l.Trim()[0]).ToList();
        Assert.Equal(['0', '-'], rankColumn);
    }

    [Fact]
    public void The_panel_should_show_progress_eta_and_the_running_figures()
    {
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        var progress = new TrainingProgress(2, 3, 5, 10, 15, 0.1234, 0.875, 4321, 0.01);

        // 5 steps in 1 s since the first reading: 15 steps left take 3 s.
        var reading = new ProgressReading(progress, now, 10, now - System.Diagnostics.Stopwatch.Frequency);

        string text = RenderToString(TrainingPanel.Render(reading, ["epoch 1/3  loss 0.2000"], null, ["worker w-a ready"]));

        Assert.Contains("epoch 1/3  loss 0.2000", text, StringComparison.Ordinal);
        Assert.Contains("epoch 2/3", text, StringComparison.Ordinal);
        Assert.Contains("step 15/30", text, StringComparison.Ordinal);
        Assert.Contains("ETA 0:03", text, StringComparison.Ordinal);
        Assert.Contains("loss 0.1234  acc 87.5 %  4,321 samples/s  lr 0.01", text, StringComparison.Ordinal);
        Assert.Contains("worker w-a ready", text, StringComparison.Ordinal);
        Assert.DoesNotContain("workers", text, StringComparison.Ordinal);
    }

    private static string RenderToString(IRenderable renderable)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 160;
        console.Write(renderable);
        return writer.ToString();
    }
}
