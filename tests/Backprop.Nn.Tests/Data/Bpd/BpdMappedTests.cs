using Backprop.Nn.Data;
using Backprop.Nn.Data.Bpd;
using Backprop.Nn.Evaluation;
using Backprop.Nn.Models;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Nn.Tests.Data.Bpd;

/// <summary>Datasets whose rows are read in place from a mapped .bpd file, scaled per row as they are read.</summary>
public sealed class BpdMappedTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly Dataset _source = BuiltinDatasets.Load(BuiltinDatasets.FashionMnistSmall).Test!;
    private readonly string _path;

    public BpdMappedTests()
    {
        _path = _folder.File("f.bpd");
        BpdWriter.Write(_source, _path, overwrite: false);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Map_should_read_the_rows_labels_and_names_in_place()
    {
        var mapped = BpdReader.Map(_path);

        Assert.True(mapped.IsMapped);
        BpdRoundTripTests.AssertSame(_source, mapped);
        Assert.Throws<InvalidOperationException>(() => mapped.Features);
    }

    [Theory]
    [InlineData(ScalingKind.Auto)]
    [InlineData(ScalingKind.Standardize)]
    [InlineData(ScalingKind.MinMax)]
    public void Split_and_scaled_mapped_rows_should_equal_the_in_memory_ones_bit_for_bit(ScalingKind kind)
    {
        var (memoryRest, memoryHeld) = DataSplit.Holdout(_source, 0.25, 3);
        var (mappedRest, mappedHeld) = DataSplit.Holdout(BpdReader.Map(_path), 0.25, 3);
        var memoryScaler = FeatureScaler.Fit(memoryRest, kind);
        var mappedScaler = FeatureScaler.Fit(mappedRest, kind);

        Assert.Equal(memoryScaler.Offset, mappedScaler.Offset);
        Assert.Equal(memoryScaler.Scale, mappedScaler.Scale);
        BpdRoundTripTests.AssertSame(memoryScaler.Apply(memoryRest), mappedScaler.Apply(mappedRest));
        BpdRoundTripTests.AssertSame(memoryScaler.Apply(memoryHeld), mappedScaler.Apply(mappedHeld));
    }

    [Fact]
    public void Gathering_a_batch_from_a_mapped_dataset_should_not_allocate()
    {
        var mapped = BpdReader.Map(_path);
        var scaled = FeatureScaler.Fit(mapped, ScalingKind.Auto).Apply(mapped);
        var batch = new BatchBuffer(scaled, 64);
        int[] indices = [.. Enumerable.Range(0, 64).Select(i => (i * 37) % scaled.Count)];
        batch.Gather(indices);
        batch.Gather(100, 64);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            batch.Gather(indices);
            batch.Gather(round * 64, 64);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Evaluating_a_mapped_dataset_should_give_the_in_memory_report()
    {
        var model = new ModelSettings { Layers = [new LayerSettings { Units = 8 }] };
        var scaler = FeatureScaler.Fit(_source, ScalingKind.Auto);
        using var gemm = new GemmEngine(new GemmOptions { Threads = 1 });
        var spec = NetworkFactory.Resolve(model, _source);
        var evaluator = new Evaluator(new Network(spec, NetworkFactory.InitialParameters(spec, model, 5), gemm), batchSize: 300);

        var memory = evaluator.Evaluate(scaler.Apply(_source));
        var mapped = evaluator.Evaluate(scaler.Apply(BpdReader.Map(_path)));

        Assert.Equal(memory.Classification!.Loss, mapped.Classification!.Loss);
        Assert.Equal(memory.Classification.Accuracy, mapped.Classification.Accuracy);
    }
}
