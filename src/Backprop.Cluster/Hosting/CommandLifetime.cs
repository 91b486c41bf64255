using Microsoft.Extensions.Hosting;

namespace Backprop.Cluster.Hosting;

/// <summary>
/// The node's host lifetime when a command owns the process: it neither listens for SIGTERM nor
/// Ctrl+C. The default console lifetime would stop the actor system on SIGTERM before the
/// coordinator could stop its job at a step and checkpoint it; the command handles the signals.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
