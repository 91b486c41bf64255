using System.Diagnostics;

namespace Backprop.Cli.Tests.Reports;

/// <summary>Headless Chromium (Debian's <c>chromium</c> package, which test.sh installs) as a renderer for the report tests.</summary>
internal static class Chromium
{
    /// <summary>The browser on PATH, or null.</summary>
    public static string? Executable { get; } = Find();

    /// <summary>Runs the browser headless on <paramref name="page"/> with the given extra arguments; returns its stdout.</summary>
    /// <param name="page">The HTML file.</param>
    /// <param name="arguments">E.g. <c>--screenshot=PATH</c> or <c>--dump-dom</c>.</param>
    public static string Run(string page, params string[] arguments)
    {
        string profile = Path.Combine(Path.GetTempPath(), "backprop-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Root in a container has no sandbox to drop into; the page is our own file.
        foreach (string argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(new Uri(Path.GetFullPath(page)).AbsoluteUri);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish rendering {page} in 90 s: {error.Result}");
            }

            Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {error.Result}");
            return output;
        }
        finally
        {
            if (Directory.Exists(profile))
            {
                Directory.Delete(profile, recursive: true);
            }
        }
    }

    private static string? Find()
    {
        foreach (string name in new[] { "chromium", "chromium-browser" })
        {
            foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string path = Path.Combine(folder, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }
}

/// <summary>A test that renders in headless Chromium; skipped, saying so, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Skips the test unless Chromium is on PATH.</summary>
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable is null)
        {
            Skip = "chromium is not installed (apt-get install chromium; test.sh installs it): the report is not rendered in a browser here";
        }
    }
}
