using System.Runtime.InteropServices;

namespace Backprop.Cli.Hosting;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into a cancellation the trainer honours after its current
/// step, with a checkpoint; a second Ctrl+C is left to the runtime and ends the process at once.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration? _terminate;

    public Interruption()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        if (!OperatingSystem.IsWindows())
        {
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                Signal = "SIGTERM";
                _source.Cancel();
            });
        }
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The signal that interrupted the run, or null.</summary>
    public string? Signal { get; private set; }

    /// <summary>The conventional exit code after the signal: 128 + its number.</summary>
    public int ExitCode => Signal == "SIGTERM" ? 143 : 130;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _terminate?.Dispose();
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (_source.IsCancellationRequested)
        {
            return;
        }

        e.Cancel = true;
        Signal = "SIGINT";
        _source.Cancel();
    }
}
