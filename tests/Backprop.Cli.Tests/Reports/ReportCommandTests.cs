using System.Text.RegularExpressions;
using Backprop.Cli.Runs;
using SkiaSharp;

namespace Backprop.Cli.Tests.Reports;

/// <summary><c>backprop report</c>: a self-contained page that a browser renders with every plot.</summary>
[Collection(TrainedRuns.Collection)]
public sealed partial class ReportCommandTests(TrainedRuns runs) : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void The_report_should_embed_every_plot_as_a_png_and_hold_the_per_class_table()
    {
        string html = Report(runs.Cluster);

        var images = DataUri().Matches(html);
        Assert.Equal(5, images.Count);
        Assert.All(images, m => Assert.True(Png.IsValid(Convert.FromBase64String(m.Groups[1].Value)), "a data: URI that is not a PNG"));
        Assert.Equal(images.Count, ImgTag().Count(html));
        Assert.Contains("T-shirt/top", html, StringComparison.Ordinal);
        Assert.Contains("macro average", html, StringComparison.Ordinal);
        Assert.Contains("learning-rate = 0.02", html, StringComparison.Ordinal);

        // Self-contained: nothing fetched from anywhere.
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"", html.Replace("src=\"data:", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_folder_without_metrics_should_be_named_with_what_is_missing()
    {
        string folder = _temp.File("old-run");
        Directory.CreateDirectory(folder);
        var (code, _, error) = CliRunner.Run("report", "--run-dir", folder);
        Assert.Equal(1, code);
        Assert.Contains(folder, error, StringComparison.Ordinal);
        Assert.Contains("no metrics.jsonl", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_run_folder_should_be_named()
    {
        string folder = _temp.File("nowhere");
        var (code, _, error) = CliRunner.Run("report", "--run-dir", folder);
        Assert.Equal(1, code);
        Assert.Contains(folder + ": no such run folder", error, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public void Chromium_should_render_the_report_with_its_plots()
    {
        string html = Report(runs.Local);
        string page = Path.Combine(runs.Local, RunArtifacts.Report);
        string shot = _temp.File("report.png");
        Chromium.Run(page, "--screenshot=" + shot, "--window-size=1200,4200");

        using var bitmap = Png.Decode(shot);
        var colours = new HashSet<uint>();
        int notWhite = 0, colourful = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                SKColor c = bitmap.GetPixel(x, y);
                colours.Add((uint)c);
                notWhite += c.Red < 245 || c.Green < 245 || c.Blue < 245 ? 1 : 0;

                // Saturated pixels: the plots' lines and the heatmap; the page's own CSS has very few.
                colourful += Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60 ? 1 : 0;
            }
        }

        int sampled = (bitmap.Width / 2) * (bitmap.Height / 2);
        Assert.True(colours.Count > 200, $"{colours.Count} distinct colours in the screenshot: it looks blank");
        Assert.True(notWhite > sampled / 20, $"{notWhite} of {sampled} sampled pixels are not white");
        Assert.True(colourful > 20_000, $"{colourful} saturated pixels: the plots did not render");
        Assert.Equal(4, ImgTag().Count(html));
    }

    [ChromiumFact]
    public void Chromium_should_decode_every_image_of_the_report()
    {
        // A copy of the report with a script that, once everything has loaded, writes into the DOM
        // how many <img> elements decoded; --dump-dom prints the DOM after it ran.
        string html = Report(runs.Cluster);
        const string probe = "<script>window.addEventListener('load', () => { const all = [...document.images]; "
            + "document.body.setAttribute('data-images', all.length); "
            + "document.body.setAttribute('data-decoded', all.filter(i => i.complete && i.naturalWidth > 0).length); });</script>";
        string page = _temp.Write("probe.html", html.Replace("</body>", probe + "</body>", StringComparison.Ordinal));

        string dom = Chromium.Run(page, "--dump-dom", "--virtual-time-budget=10000");

        var body = BodyCounts().Match(dom);
        Assert.True(body.Success, $"no counts in the dumped DOM: {dom[..Math.Min(dom.Length, 400)]}");
        Assert.Equal("5", body.Groups["images"].Value);
        Assert.Equal("5", body.Groups["decoded"].Value);
    }

    public void Dispose() => _temp.Dispose();

    private static string Report(string runDirectory)
    {
        var (code, output, error) = CliRunner.Run("report", "--run-dir", runDirectory);
        Assert.True(code == 0, $"report exited {code}: {error}");
        string path = Path.Combine(runDirectory, RunArtifacts.Report);
        Assert.Equal(path, output.Trim());
        return File.ReadAllText(path);
    }

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex DataUri();

    [GeneratedRegex("<img ")]
    private static partial Regex ImgTag();

    [GeneratedRegex("data-images=\"(?<images>\\d+)\" data-decoded=\"(?<decoded>\\d+)\"")]
    private static partial Regex BodyCounts();
}
