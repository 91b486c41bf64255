using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Backprop.IntegrationTests;

/// <summary>
/// Runs every command of the README's tour (between <c>&lt;!-- tour --&gt;</c> and
/// <c>&lt;!-- /tour --&gt;</c>) in order, as the real <c>backprop</c> process, in a copy of the files
/// the tour reads (configs/, samples/): a README command that stops working fails the suite.
/// </summary>
public sealed partial class ReadmeTourTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Tour lines that are not <c>backprop</c> commands, and where they are run instead.</summary>
    private static readonly Dictionary<string, string> RunElsewhere = new(StringComparer.Ordinal)
    {
        ["alias backprop='dotnet run -c Release --project src/Backprop.Cli --'"] = "the alias this test stands for",
        ["mkdir -p runs && BACKPROP_MIN_WORKERS=3 docker compose up --build --scale worker=3"] = "ComposeTests.Compose_should_train_with_three_workers_and_leave_the_results_on_the_host (deployment tier)",
    };

    private readonly Workspace _workspace = new();

    [Fact]
    public void Every_command_of_the_readme_tour_should_succeed()
    {
        foreach (string folder in new[] { "configs", "samples" })
        {
            Copy(Path.Combine(Workspace.Repository, folder), _workspace.File(folder));
        }

        var lines = TourLines(File.ReadAllText(Path.Combine(Workspace.Repository, "README.md")));
        Assert.True(lines.Count >= 8, $"the README's tour has {lines.Count} lines");
        foreach (string line in lines)
        {
            if (RunElsewhere.TryGetValue(line, out string? where))
            {
                output.WriteLine($"elsewhere: {line}  ({where})");
                continue;
            }

            Assert.True(line.StartsWith("backprop ", StringComparison.Ordinal), $"the tour line \"{line}\" is neither a backprop command nor listed in {nameof(RunElsewhere)}");
            string[] args = line["backprop ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var (code, stdout, stderr) = BackpropProcess.Run(_workspace.Path, TimeSpan.FromMinutes(5), args);
            output.WriteLine($"exit {code}: {line}");
            Assert.True(code == 0, $"{line}\nexit {code}\n{stdout}\n{stderr}");
            Check(args[0], stdout);
        }

        // What the tour promises it leaves behind.
        foreach (string file in new[] { "runs/tour/model.bpm", "runs/tour/report.html", "runs/tour/model.onnx", "runs/tour/loss.png", "runs/tour-cluster/model.bpm", "runs/tour-diabetes/model.bpm" })
        {
            Assert.True(File.Exists(_workspace.File(file)), $"the tour left no {file}");
        }
    }

    public void Dispose() => _workspace.Dispose();

    /// <summary>The tour's command lines, without their trailing comments.</summary>
    internal static List<string> TourLines(string readme)
    {
        int start = readme.IndexOf("<!-- tour -->", StringComparison.Ordinal);
        int end = readme.IndexOf("<!-- /tour -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the README has no <!-- tour --> … <!-- /tour --> section");
        return readme[start..end].Split('\n')
            .Select(l => TrailingComment().Replace(l, string.Empty).Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("<!--", StringComparison.Ordinal) && !l.StartsWith("```", StringComparison.Ordinal))
            .ToList();
    }

    private static void Check(string command, string stdout)
    {
        if (command == "predict")
        {
            // A header and one row per sample (ten images, or five patients).
            int rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            Assert.True(rows is 11 or 6, stdout);
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex TrailingComment();
}
