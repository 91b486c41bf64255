using System.Buffers.Binary;
using System.Globalization;
using Backprop.Nn.Data;

namespace Backprop.Cli.Tests.Commands;

/// <summary><c>backprop predict</c> on each input it takes (IDX images, CSV) and each kind of model.</summary>
public sealed class PredictCommandTests(TrainedModels runs) : IClassFixture<TrainedModels>, IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Predict_on_an_idx_images_file_should_give_the_class_and_every_class_probability_per_image()
    {
        var images = BuiltinDatasets.Load(BuiltinDatasets.FashionMnistSmall).Test!;
        string idx = _temp.Write("images-idx3-ubyte", IdxImagesFile(images, 25));

        var (code, output, error) = CliRunner.Run("predict", "--model", runs.Classifier, "--input", idx);

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,predicted,p_T-shirt/top,p_Trouser,p_Pullover,p_Dress,p_Coat,p_Sandal,p_Shirt,p_Sneaker,p_Bag,p_Ankle boot", lines[0]);
        Assert.Equal(26, lines.Length);
        foreach (string line in lines.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Contains(cells[1], images.ClassNames);
            var probabilities = cells[2..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1, probabilities.Sum(), 4);
            Assert.Equal(images.ClassNames[Array.IndexOf(probabilities, probabilities.Max())], cells[1]);
        }
    }

    [Fact]
    public void Predict_with_a_regression_model_should_give_one_value_per_csv_row_into_the_output_file()
    {
        string csv = _temp.Write(
            "patients.csv",
            "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n59,2,32.1,101.0,157,93.2,38.0,4.0,4.8598,87\n48,1,21.6,87.0,183,103.2,70.0,3.0,3.8918,69\n");
        string predictions = _temp.File("predictions.csv");

        var (code, output, error) = CliRunner.Run("predict", "--model", runs.Regression, "--input", csv, "--output", predictions);

        Assert.True(code == 0, error);
        Assert.Empty(output);
        Assert.Contains("2 predictions written to", error, StringComparison.Ordinal);
        var lines = File.ReadAllLines(predictions);
        Assert.Equal(["row,prediction"], lines[..1]);
        Assert.Equal(3, lines.Length);
        Assert.All(lines[1..], l => Assert.True(double.IsFinite(double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Predict_on_a_csv_missing_a_feature_column_should_name_it()
    {
        string csv = _temp.Write("partial.csv", "age,sex,bmi\n59,2,32.1\n");

        var (code, _, error) = CliRunner.Run("predict", "--model", runs.Regression, "--input", csv);

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("bp", error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>An uncompressed IDX3 file (magic 0x00000803, big-endian sizes) of the first images of a raw dataset.</summary>
    private static byte[] IdxImagesFile(Dataset images, int count)
    {
        var bytes = new byte[16 + (count * 784)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x00000803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 28);
        for (int i = 0; i < count * 784; i++)
        {
            bytes[16 + i] = (byte)images.Features[i];
        }

        return bytes;
    }
}
