using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>
/// Runs the training on a thread of its own while this one redraws the live view from its newest
/// readings, five times a second: the training never waits for the terminal.
/// </summary>
internal static class LiveViewLoop
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>Shows <paramref name="view"/> until <paramref name="work"/> returns, and returns what it returned.</summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="console">The terminal.</param>
    /// <param name="view">The view the work's observer feeds.</param>
    /// <param name="work">The training.</param>
    /// <returns>The work's result; its exception if it threw.</returns>
    public static T Run<T>(IAnsiConsole console, LiveTrainingView view, Func<T> work)
    {
        var running = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        view.Showing = true;
        try
        {
            console.Live(view.Render())
                .AutoClear(false)
                .Overflow(VerticalOverflow.Ellipsis)
                .Start(context =>
                {
                    // Waited on without Task.Wait, which would throw the work's failure here wrapped in
                    // an AggregateException; it is rethrown as itself below, for the command's error handling.
                    while (!((IAsyncResult)running).AsyncWaitHandle.WaitOne(RefreshEvery))
                    {
                        context.UpdateTarget(view.Render());
                    }

                    context.UpdateTarget(view.Render());
                });
        }
        finally
        {
            view.Showing = false;
        }

        return running.GetAwaiter().GetResult();
    }
}
