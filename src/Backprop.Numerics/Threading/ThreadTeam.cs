using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Backprop.Numerics.Threading;

/// <summary>
/// The caller plus <c>size − 1</c> long-lived helper threads that run one <see cref="ITeamTask"/> at a
/// time. A helper spins for a short while after each
/// task so that back-to-back products are handed off in well under a microsecond, then sleeps on an
/// event; nothing is allocated per task. One caller at a time: the owner serialises calls.
/// </summary>
internal sealed class ThreadTeam : IDisposable
{
    private readonly Thread[] _helpers;
    private readonly ManualResetEventSlim[] _wake;
    private readonly long _spinTicks;
    private ITeamTask? _task;
    private int _members;
    private long _generation;
    private int _pending;
    private Exception? _failure;
    private volatile bool _disposed;

    public ThreadTeam(int size, TimeSpan idleSpin, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _spinTicks = (long)(idleSpin.TotalSeconds * Stopwatch.Frequency);
        _helpers = new Thread[size - 1];
        _wake = new ManualResetEventSlim[size - 1];
        for (int i = 0; i < _helpers.Length; i++)
        {
            _wake[i] = new ManualResetEventSlim(false, spinCount: 0);
            _helpers[i] = new Thread(HelperLoop) { IsBackground = true, Name = $"{name}-{i + 1}" };
            _helpers[i].Start(i + 1);
        }
    }

    public int Size => _helpers.Length + 1;

    /// <summary>Runs <paramref name="task"/> on members 0..<paramref name="members"/>−1 and returns when all are done.</summary>
    public void Run(ITeamTask task, int members)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(members, Size);
        if (members == 1)
        {
            task.Execute(0, 1);
            return;
        }

        _task = task;
        _members = members;
        _failure = null;
        Volatile.Write(ref _pending, _helpers.Length);
        Interlocked.Increment(ref _generation);
        foreach (var wake in _wake)
        {
            wake.Set();
        }

        Execute(0);

        // The shares are equal, so the helpers finish within a hair of the caller; yield, never sleep.
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _pending) != 0)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        _task = null;
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var wake in _wake)
        {
            wake.Set();
        }

        foreach (var helper in _helpers)
        {
            helper.Join();
        }

        foreach (var wake in _wake)
        {
            wake.Dispose();
        }
    }

    private void Execute(int member)
    {
        if (member >= _members)
        {
            return;
        }

        try
        {
            _task!.Execute(member, _members);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
    }

    private void HelperLoop(object? state)
    {
        int member = (int)state!;
        var wake = _wake[member - 1];
        long seen = 0;
        while (true)
        {
            long idleSince = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen && !_disposed)
            {
                if (Stopwatch.GetTimestamp() - idleSince < _spinTicks)
                {
                    Thread.SpinWait(20);
                }
                else
                {
                    // Reset after waking and re-check the generation: a Set that raced the Reset is
                    // then seen through the counter instead of being lost.
                    wake.Wait();
                    wake.Reset();
                }
            }

            if (_disposed)
            {
                return;
            }

            seen = Volatile.Read(ref _generation);
            Execute(member);
            Interlocked.Decrement(ref _pending);
        }
    }
}
