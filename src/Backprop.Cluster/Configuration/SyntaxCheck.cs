using System.Text;
using System.Text.RegularExpressions;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// Checks the layout of configuration text before it reaches Akka's HOCON parser: quoted text ends, brackets
/// pair up, every field has a key and a separator, a list holds values and nothing only a field could hold
/// (those three by <see cref="StructureScanner"/>), fields on one line are separated by commas. That parser reports no line numbers, reads a missing comma or
/// an unquoted <c>a:b</c> as strange values, silently drops a stray <c>}</c>, and on a list closed by the wrong
/// bracket (<c>[1, }</c>), a stray <c>=</c> in a list or a key without <c>=</c> in an object in a list loops
/// forever, filling memory. This names the line instead. It looks at structure only; keys and values are the
/// parser's business.
/// </summary>
internal static partial class SyntaxCheck
{
    /// <summary>Throws <see cref="InvalidSettingException"/> naming <paramref name="source"/> and the line of the first problem.</summary>
    /// <param name="text">The configuration text.</param>
    /// <param name="source">The file (or other origin) the text came from, for the message.</param>
    public static void Check(string text, string source)
    {
        string code = Mask(text, source, out _);
        new StructureScanner(code, text, source).Run();
        if (MissingComma().Match(code) is { Success: true } comma)
        {
            throw Error(source, text, comma.Index, "two settings on one line need a ',' between them.");
        }

        if (SecondSeparator().Match(code) is { Success: true } second)
        {
            throw Error(source, text, second.Index, "a value containing ':' or '=' must be in double quotes, as in path = \"builtin:diabetes\".");
        }
    }

    /// <summary>Whether a comment (<c>#</c> or <c>//</c> outside quotes) starts anywhere in <paramref name="text"/>.</summary>
    public static bool HasComment(string text)
    {
        _ = Mask(text, "", out bool hasComment);
        return hasComment;
    }

    /// <summary>The error for the line of <paramref name="index"/> in <paramref name="text"/>.</summary>
    public static InvalidSettingException Error(string source, string text, int index, string problem) =>
        new(source, $"syntax error on line {text.AsSpan(0, index).Count('\n') + 1}: {problem}");

    /// <summary>
    /// The text with each comment blanked and the inside of each quoted text (line breaks of triple-quoted
    /// text included) replaced by <c>x</c>: what is left is structure, at the same positions as in the text.
    /// </summary>
    private static string Mask(string text, string source, out bool hasComment)
    {
        var code = new StringBuilder(text);
        hasComment = false;
        int i = 0;
        while (i < text.Length)
        {
            int end;
            if (text[i] == '#' || (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                hasComment = true;
                end = text.IndexOf('\n', i) is int newline and >= 0 ? newline : text.Length;
                Fill(code, i, end, ' ');
            }
            else if (string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
            {
                end = EndOfTripleQuoted(text, i, source);
                Fill(code, i + 3, end - 3, 'x');
            }
            else if (text[i] == '"')
            {
                end = EndOfQuoted(text, i, source);
                Fill(code, i + 1, end - 1, 'x');
            }
            else
            {
                end = i + 1;
            }

            i = end;
        }

        return code.ToString();
    }

    private static int EndOfQuoted(string text, int start, string source)
    {
        for (int i = start + 1; i < text.Length && text[i] != '\n'; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i + 1;
            }
        }

        throw Error(source, text, start, "quoted text must end with '\"' on the line it starts on.");
    }

    private static int EndOfTripleQuoted(string text, int start, string source)
    {
        int end = text.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error(source, text, start, "this \"\"\" text is never closed by another \"\"\".");
        }

        // HOCON lets a triple-quoted text end in more quotes, which belong to the text.
        end += 3;
        while (end < text.Length && text[end] == '"')
        {
            end++;
        }

        return end;
    }

    private static void Fill(StringBuilder code, int from, int to, char with)
    {
        for (int i = from; i < to; i++)
        {
            code[i] = with;
        }
    }

    // "key = value key = value" on one line: a separator, one value, spaces, then another key and separator.
    [GeneratedRegex(@"[=:][ \t]*[^\s,{}\[\]=:]+[ \t]+[A-Za-z0-9_-][A-Za-z0-9_.-]*[ \t]*[=:{]")]
    private static partial Regex MissingComma();

    // "key = a:b" or "key == value": a second separator before the end of the field, outside brackets.
    [GeneratedRegex(@"[=:][^,\n{}\[\]=:]*[=:]")]
    private static partial Regex SecondSeparator();
}
