namespace Backprop.Nn.Data.Bpd;

/// <summary>
/// The feature rows of a mapped <c>.bpd</c> file. The mapping lives as long as this object: datasets
/// are never disposed, so it is released when the last dataset over it is collected.
/// </summary>
internal sealed class MappedFeatureRows : FeatureRows
{
    private readonly MappedBpdFile _file;

    public MappedFeatureRows(MappedBpdFile file)
        : base(checked((int)file.Header.RowCount), file.Header.FeatureCount)
    {
        _file = file;
    }

    ~MappedFeatureRows() => _file.Dispose();

    public override ReadOnlySpan<float> Row(int index) => _file.FeatureRow(index);
}
