using System.Text.RegularExpressions;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// One pass over configuration text masked by <see cref="SyntaxCheck"/> (comments blanked, quoted text as
/// <c>x</c>), with a stack of open brackets and whether a field's key comes next: brackets pair up, every
/// field has a key and a separator, and a list holds none of the characters on which Akka's parser loops
/// forever inside one.
/// </summary>
/// <param name="code">The masked text.</param>
/// <param name="text">The text itself, at the same positions, for line numbers and keys in messages.</param>
/// <param name="source">Where the text came from, for messages.</param>
internal sealed partial class StructureScanner(string code, string text, string source)
{
    // The parser recurses per bracket; far deeper nesting would end the process with a stack overflow.
    private const int MaxDepth = 64;

    private readonly Stack<(char Bracket, int At)> _open = new();
    private bool _keyNext = true;

    private bool InList => _open.Count > 0 && _open.Peek().Bracket == '[';

    public void Run()
    {
        int i = 0;
        while (i < code.Length)
        {
            char c = code[i];
            if (_keyNext && !InList && c is not (' ' or '\t' or '\r' or '\n' or ',' or '}' or ']'))
            {
                i = Key(i);
                _keyNext = false;
                continue;
            }

            if (c == '$' && i + 1 < code.Length && code[i + 1] == '{')
            {
                var substitution = Substitution().Match(code, i);
                i = substitution.Success ? i + substitution.Length : throw Fail(i, "a substitution is written ${key.path}.");
                continue;
            }

            Structure(c, i);
            i++;
        }

        if (_open.Count > 0)
        {
            var (bracket, at) = _open.Pop();
            throw Fail(at, $"this '{bracket}' is never closed by a '{Closing(bracket)}'.");
        }
    }

    private void Structure(char c, int i)
    {
        switch (c)
        {
            case '{' or '[' when _open.Count >= MaxDepth:
                throw Fail(i, $"brackets nest deeper than {MaxDepth}.");
            case '{' or '[':
                _open.Push((c, i));
                _keyNext = c == '{';
                break;
            case '}' or ']' when _open.Count == 0:
                throw Fail(i, $"this '{c}' closes nothing; is there one too many?");
            case '}' or ']':
                var (opening, at) = _open.Pop();
                if (Closing(opening) != c)
                {
                    throw Fail(i, $"this '{c}' does not match the '{opening}' opened on line {LineOf(at)}; expected '{Closing(opening)}'.");
                }

                break;
            case '\n' or ',' when !InList:
                _keyNext = true;
                break;
            case '=' or ':' or '`' or '^' or '?' or '!' or '@' or '*' or '&' or '\\' or '$' when InList:
                throw Fail(i, $"this '{c}' cannot stand in a list, which holds values separated by ',' such as [1, 2] or [{{ units = 64 }}]; text containing it must be in double quotes.");
        }
    }

    /// <summary>A field's key (words, dots, quoted parts) and then its separator; returns where the separator is.</summary>
    private int Key(int start)
    {
        int i = start;
        while (true)
        {
            while (i < code.Length && code[i] is not (' ' or '\t' or '\r' or '\n' or '=' or ':' or '{' or '}' or '[' or ']' or ','))
            {
                i++;
            }

            if (code.AsSpan(start, i - start) is "include")
            {
                return i;
            }

            int word = i;
            while (i < code.Length && code[i] is ' ' or '\t')
            {
                i++;
            }

            // HOCON keys may contain spaces ("a b = 1"); another word continues the key.
            if (i == word || i == code.Length || code[i] is '\r' or '\n' or '=' or ':' or '{' or '}' or '[' or ']' or ',' or '+')
            {
                break;
            }
        }

        string key = text[start..i].Trim();
        bool separator = i < code.Length
            && (code[i] is '=' or ':' || (code[i] == '{' && (key.Length > 0 || _open.Count == 0))
                || (code[i] == '+' && i + 1 < code.Length && code[i + 1] == '='));
        if (!separator)
        {
            throw key.Length == 0
                ? Fail(start, $"this '{code[start]}' needs a key before it.")
                : Fail(start, $"'{key}' needs '=' and a value after it.");
        }

        if (BadDots().IsMatch(code.AsSpan(start, i - start)))
        {
            throw Fail(start, $"'{key}' is not a key: a dot stands between two names, as in training.epochs.");
        }

        return i;
    }

    private int LineOf(int index) => text.AsSpan(0, index).Count('\n') + 1;

    private InvalidSettingException Fail(int index, string problem) => SyntaxCheck.Error(source, text, index, problem);

    private static char Closing(char opening) => opening == '{' ? '}' : ']';

    // ${path} or ${?path}: no spaces, brackets or separators inside.
    [GeneratedRegex(@"\G\$\{\??[^\s{}\[\]=:,]+\}")]
    private static partial Regex Substitution();

    // A key that starts or ends with a dot, has two in a row, or spaces beside one.
    [GeneratedRegex(@"^\s*\.|\.\s*$|\.\s*\.|\s\.|\.\s")]
    private static partial Regex BadDots();
}
