using Backprop.Nn.Data;

namespace Backprop.Nn.Training;

/// <summary>
/// One batch gathered from a dataset by sample index into contiguous buffers, allocated once. A mapped
/// dataset's rows are read from the mapping and scaled as they are copied in, with no allocation.
/// </summary>
internal sealed class BatchBuffer
{
    private readonly Dataset _data;

    public BatchBuffer(Dataset data, int capacity)
    {
        _data = data;
        Capacity = capacity;
        Features = new float[capacity * data.FeatureCount];
        Labels = data.Task == TaskKind.Classification ? new int[capacity] : [];
        Targets = data.Task == TaskKind.Regression ? new float[capacity * data.TargetCount] : [];
    }

    public int Capacity { get; }

    public int Rows { get; private set; }

    public float[] Features { get; }

    public int[] Labels { get; }

    public float[] Targets { get; }

    public ReadOnlySpan<float> X(int start, int count) => Features.AsSpan(start * _data.FeatureCount, count * _data.FeatureCount);

    public ReadOnlySpan<int> LabelsOf(int start, int count) => Labels.Length == 0 ? [] : Labels.AsSpan(start, count);

    public ReadOnlySpan<float> TargetsOf(int start, int count) =>
        Targets.Length == 0 ? [] : Targets.AsSpan(start * _data.TargetCount, count * _data.TargetCount);

    /// <summary>Copies the samples <paramref name="indices"/> into the buffers, in that order.</summary>
    public void Gather(ReadOnlySpan<int> indices)
    {
        int d = _data.FeatureCount;
        int t = _data.TargetCount;
        for (int r = 0; r < indices.Length; r++)
        {
            int i = indices[r];
            _data.CopyRow(i, Features.AsSpan(r * d, d));
            if (Labels.Length > 0)
            {
                Labels[r] = _data.Labels[i];
            }
            else
            {
                _data.Targets.AsSpan(i * t, t).CopyTo(Targets.AsSpan(r * t, t));
            }
        }

        Rows = indices.Length;
    }

    /// <summary>The consecutive samples [first, first + count) into the buffers.</summary>
    public void Gather(int first, int count)
    {
        int d = _data.FeatureCount;
        int t = _data.TargetCount;
        var rows = _data.Rows(first, count, Features);
        if (!_data.IsMapped)
        {
            rows.CopyTo(Features);
        }

        if (Labels.Length > 0)
        {
            _data.Labels.AsSpan(first, count).CopyTo(Labels);
        }
        else
        {
            _data.Targets.AsSpan(first * t, count * t).CopyTo(Targets);
        }

        Rows = count;
    }
}
