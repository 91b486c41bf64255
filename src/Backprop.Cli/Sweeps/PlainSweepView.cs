using System.Globalization;

namespace Backprop.Cli.Sweeps;

/// <summary>One line per trial as it starts and ends, for logs and pipes.</summary>
/// <param name="output">Where the lines go.</param>
internal sealed class PlainSweepView(TextWriter output) : ISweepView
{
    /// <inheritdoc/>
    public void Update(SweepRecord sweep, TrialRecord changed)
    {
        int position = sweep.TrialList.ToList().FindIndex(t => t.Id == changed.Id) + 1;
        string parameters = string.Join(' ', changed.Parameters.Select(p => $"{p.Key}={p.Value}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trial {position}/{sweep.TrialList.Count} {changed.Id} ({parameters}): {Describe(changed)}"));
    }

    /// <summary>A trial's status and results in words.</summary>
    public static string Describe(TrialRecord trial)
    {
        var parts = new List<string> { trial.Status };
        if (trial.TestAccuracy is { } accuracy)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"test accuracy {accuracy:0.0000}"));
        }

        if (trial.TestLoss is { } loss)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"test loss {loss:0.####}"));
        }

        if (trial.WallSeconds is { } seconds)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s"));
        }

        string text = string.Join(", ", parts);
        return trial.Error is null ? text : $"{text}: {trial.Error}";
    }
}
