namespace Backprop.Benchmarks.Configs;

/// <summary>A benchmark parameter that knows how much work one operation does, for the rate columns.</summary>
public interface IWorkload
{
    /// <summary>Floating-point operations per benchmarked call.</summary>
    double FlopsPerOperation { get; }

    /// <summary>Bytes read plus bytes written per benchmarked call.</summary>
    double BytesPerOperation { get; }
}
