using Backprop.Nn.Data;
using Backprop.Nn.Data.Bpd;
using Backprop.Nn.Settings;
using Backprop.Nn.Tests.Training;

namespace Backprop.Nn.Tests.Data.Bpd;

/// <summary>The trainer over mapped rows, in the cluster reference's sliced mode too, against the same data in memory.</summary>
public sealed class BpdTrainerTests : IDisposable
{
    private readonly ScratchFolder _folder = new();
    private readonly TrainingFixture _fixture = new();

    public void Dispose()
    {
        _fixture.Dispose();
        _folder.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Training_over_mapped_rows_should_match_training_in_memory_bit_for_bit(int slices)
    {
        var raw = BuiltinDatasets.Load(BuiltinDatasets.FashionMnistSmall).Train;
        string path = _folder.File("f.bpd");
        BpdWriter.Write(raw, path, overwrite: false);
        var mapped = BpdReader.Map(path);
        var settings = new TrainingSettings { Epochs = 2, BatchSize = 100, Seed = 4 };

        var inMemory = _fixture.Create(settings, train: FeatureScaler.Fit(raw, ScalingKind.Auto).Apply(raw), slices: slices);
        var fromMapping = _fixture.Create(settings, train: FeatureScaler.Fit(mapped, ScalingKind.Auto).Apply(mapped), slices: slices);
        inMemory.Run(null, null, CancellationToken.None);
        fromMapping.Run(null, null, CancellationToken.None);

        Assert.Equal(inMemory.Network.Parameters, fromMapping.Network.Parameters);
        Assert.Equal(inMemory.State.History[^1].TrainLoss, fromMapping.State.History[^1].TrainLoss);
    }
}
