using System.Globalization;
using System.Text;
using Backprop.Nn.Training;

namespace Backprop.Cli.Rendering;

/// <summary>One line per finished epoch, the same in the log, on a terminal and in a pipe.</summary>
internal static class EpochLine
{
    public static string Format(EpochReport e, int epochs)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"epoch {e.Epoch}/{epochs}  loss {e.TrainLoss:F4}");
        Append(text, "acc", e.TrainAccuracy);
        if (e.ValidationLoss is { } vl)
        {
            text.Append(CultureInfo.InvariantCulture, $"  val loss {vl:F4}");
            Append(text, "val acc", e.ValidationAccuracy);
        }

        if (e.TestLoss is { } tl)
        {
            text.Append(CultureInfo.InvariantCulture, $"  test loss {tl:F4}");
            Append(text, "test acc", e.TestAccuracy);
        }

        text.Append(CultureInfo.InvariantCulture, $"  lr {e.LearningRate:G3}");
        if (e.TrainSeconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {e.SamplesPerSecond:N0} samples/s  {e.TrainSeconds:F2} s");
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, string name, double? accuracy)
    {
        if (accuracy is { } a)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name} {a:P2}");
        }
    }
}
