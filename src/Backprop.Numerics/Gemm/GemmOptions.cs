namespace Backprop.Numerics.Gemm;

/// <summary>How a <see cref="GemmEngine"/> runs: threads, vector path and cache blocking.</summary>
public sealed record GemmOptions
{
    /// <summary>Threads that share one product, the caller included; 0 means every core of the machine.</summary>
    public int Threads { get; init; }

    /// <summary>The vector width of the micro-kernel; <see cref="SimdPath.Auto"/> takes the widest the CPU accelerates.</summary>
    public SimdPath Path { get; init; } = SimdPath.Auto;

    /// <summary>Cache-blocking sizes; the default suits current x64 server cores.</summary>
    public GemmBlocking Blocking { get; init; } = GemmBlocking.Default;

    /// <summary>
    /// Floating-point operations (2·m·n·k) a product must have per thread before another thread joins in;
    /// below it, waking a thread costs more than it saves.
    /// </summary>
    public long MinFlopsPerThread { get; init; } = 1L << 21;

    /// <summary>
    /// How long an idle helper thread spins for the next product before it sleeps. Spinning keeps the
    /// hand-off at well under a microsecond between the back-to-back products of a training step.
    /// </summary>
    public TimeSpan IdleSpin { get; init; } = TimeSpan.FromMicroseconds(200);
}
