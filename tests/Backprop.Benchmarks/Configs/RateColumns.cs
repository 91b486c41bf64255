using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Backprop.Benchmarks.Configs;

/// <summary>
/// GFLOP/s and GB/s derived from the mean time per operation and the <see cref="IWorkload"/>
/// parameter of the case, so a table reads as rates next to the machine's peak, not only as times.
/// </summary>
public sealed class RateColumns : IColumn
{
    private readonly Func<IWorkload, double> _units;

    private RateColumns(string name, Func<IWorkload, double> units)
    {
        ColumnName = name;
        Id = nameof(RateColumns) + name;
        _units = units;
    }

    /// <summary>Billions of floating-point operations per second.</summary>
    public static RateColumns Gflops { get; } = new("GFLOP/s", w => w.FlopsPerOperation);

    /// <summary>Billions of bytes moved per second.</summary>
    public static RateColumns GigabytesPerSecond { get; } = new("GB/s", w => w.BytesPerOperation);

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
        var workload = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IWorkload>().FirstOrDefault();
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (workload is null || mean is not > 0 || _units(workload) <= 0)
        {
            return "-";
        }

        return (_units(workload) / mean.Value).ToString("F1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
