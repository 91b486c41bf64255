using Backprop.Nn.Data.Bpd;
using Backprop.Nn.Jobs;
using Backprop.Nn.Persistence;
using Backprop.Nn.Settings;

namespace Backprop.Nn.Tests.Data.Bpd;

public sealed class BpdTrainingTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Training_from_a_converted_file_should_end_at_the_same_parameters_as_from_its_source()
    {
        string bpd = _folder.File("fashion.bpd");
        BpdConverter.Convert(new DataSettings { Path = "builtin:fashion-mnist-small" }, bpd, null, overwrite: false);

        var fromSource = Train("builtin:fashion-mnist-small", "source");
        var fromBpd = Train(bpd, "bpd");

        Assert.Equal(fromSource.Parameters, fromBpd.Parameters);
        Assert.Equal(fromSource.Scaler.Offset, fromBpd.Scaler.Offset);
        Assert.Equal(fromSource.Scaler.Scale, fromBpd.Scaler.Scale);
    }

    [Theory]
    [InlineData("builtin:fashion-mnist-small")]
    [InlineData("builtin:diabetes")]
    public void Prepared_data_from_a_converted_file_should_have_the_source_fingerprint(string source)
    {
        string bpd = _folder.File("data.bpd");
        BpdConverter.Convert(new DataSettings { Path = source }, bpd, null, overwrite: false);
        var training = new TrainingSettings { Seed = 7, ValidationSplit = 0.1 };

        var expected = PreparedData.Load(new BackpropSettings { Data = new DataSettings { Path = source }, Training = training });
        var actual = PreparedData.Load(new BackpropSettings { Data = new DataSettings { Path = bpd }, Training = training });

        Assert.Equal(expected.Fingerprint(), actual.Fingerprint());
        Assert.Equal(expected.Test!.Count, actual.Test!.Count);
    }

    private SavedModel Train(string dataPath, string runName)
    {
        var settings = new BackpropSettings
        {
            Data = new DataSettings { Path = dataPath },
            Model = new ModelSettings { Layers = [new LayerSettings { Units = 32 }] },
            Training = new TrainingSettings { Epochs = 1, Seed = 11, Threads = 1 },
        };
        var options = new TrainingJobOptions { Settings = settings, ConfigText = "", RunDirectory = _folder.File(runName) };
        var summary = LocalTrainingJob.Run(options, null, null, CancellationToken.None);
        Assert.True(summary.Completed);
        return ModelFile.Load(Path.Combine(options.RunDirectory, RunFiles.Model));
    }
}
