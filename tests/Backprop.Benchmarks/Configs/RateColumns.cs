using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Backprop.Benchmarks.Configs;

/// <summary>
/// GFLOP/s and GB/s derived from the mean time per operation and the work the case declares (an
/// <see cref="IWorkload"/> parameter, or <see cref="PerElementAttribute"/> on the method), so a table
/// reads as rates next to the machine's limits, not only as times.
/// </summary>
public sealed class RateColumns : IColumn
{
    private readonly bool _flops;

    private RateColumns(string name, bool flops)
    {
        ColumnName = name;
        Id = nameof(RateColumns) + name;
        _flops = flops;
    }

    /// <summary>Billions of floating-point operations per second.</summary>
    public static RateColumns Gflops { get; } = new("GFLOP/s", flops: true);

    /// <summary>Billions of bytes moved per second.</summary>
    public static RateColumns GigabytesPerSecond { get; } = new("GB/s", flops: false);

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public string ColumnName { get; }

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => $"{ColumnName} from the mean time per operation";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double units = UnitsPerOperation(benchmarkCase);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is not > 0 || units <= 0)
        {
            return "-";
        }

        // Units per nanosecond are billions per second.
        return (units / mean.Value).ToString("F1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <summary>From an <see cref="IWorkload"/> parameter, else from <see cref="PerElementAttribute"/> × the Elements parameter.</summary>
    private double UnitsPerOperation(BenchmarkCase benchmarkCase)
    {
        if (benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IWorkload>().FirstOrDefault() is { } workload)
        {
            return _flops ? workload.FlopsPerOperation : workload.BytesPerOperation;
        }

        var perElement = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<PerElementAttribute>();
        var elements = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Elements")?.Value;
        if (perElement is null || elements is not int count)
        {
            return 0;
        }

        return count * (_flops ? perElement.Flops : perElement.Bytes);
    }

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
