using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// Akka's HOCON parser behind the checks it needs: <see cref="SyntaxCheck"/> first (line numbers, and the
/// inputs on which that parser never returns), a deadline, its exceptions reworded as
/// <see cref="InvalidSettingException"/>, and <see cref="SubstitutionCheck"/> on the result.
/// </summary>
internal static partial class GuardedParser
{
    // Parsing a configuration file takes milliseconds; only the parser's endless loops take longer.
    private static readonly TimeSpan ParseDeadline = TimeSpan.FromSeconds(5);

    /// <summary>Parses <paramref name="text"/>, which came from <paramref name="source"/>.</summary>
    /// <param name="text">The HOCON text.</param>
    /// <param name="source">The file or other origin, for messages.</param>
    /// <param name="include">Reads the file an <c>include "name"</c> names.</param>
    public static Config Parse(string text, string source, Func<string, HoconRoot> include)
    {
        SyntaxCheck.Check(text, source);
        Config config;
        try
        {
            config = ParseWithDeadline(text, include, source);
        }
        catch (InvalidSettingException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Akka's parser throws several types (Exception, FormatException, ConfigurationException); the message is what there is.
            throw new InvalidSettingException(source, Describe(e, text));
        }

        SubstitutionCheck.Check(config, source);
        return config;
    }

    /// <summary>
    /// The parser on a thread of its own. The syntax check stops every way found to send that parser into an
    /// endless loop; the deadline turns one it missed into an error rather than a hung command. A dedicated
    /// thread (not the pool's) because the caller blocks on it, includes nest, and a looping one never returns.
    /// </summary>
    private static Config ParseWithDeadline(string text, Func<string, HoconRoot> include, string source)
    {
        Config? config = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                config = ConfigurationFactory.ParseString(text, include);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "HOCON parser",
        };
        thread.Start();
        if (!thread.Join(ParseDeadline))
        {
            throw new InvalidSettingException(
                source, "syntax error: the configuration could not be parsed; look for a stray character inside a list [ ... ].");
        }

        failure?.Throw();
        return config!;
    }

    private static string Describe(Exception e, string text)
    {
        string message = e.Message.Split('\n')[0].Trim();
        if (message.StartsWith("Unresolved substitution", StringComparison.Ordinal))
        {
            string path = message[(message.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            return $"${{{path}}} refers to a key that is not set in the same file.";
        }

        if (Position().Match(message) is { Success: true } position
            && int.TryParse(position.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out int at) && at < text.Length)
        {
            string problem = message.StartsWith("Unknown token", StringComparison.Ordinal) ? $"unexpected '{text[at]}'." : message;
            return $"syntax error on line {text.AsSpan(0, at).Count('\n') + 1}: {problem}";
        }

        return $"syntax error: {message}";
    }

    [GeneratedRegex(@"position (\d+)")]
    private static partial Regex Position();
}
