using System.Globalization;
using System.Text;

namespace Backprop.Nn.Data;

/// <summary>
/// Reads CSV files (RFC 4180) into a <see cref="CsvTable"/>: UTF-8 with or without BOM, CRLF, LF or
/// mixed line ends, quoted fields with <c>""</c> escapes and delimiters or line breaks inside, a
/// required header row, blank lines ignored. The delimiter is ',' unless the header line plainly uses
/// ';' or tab instead. Problems give a <see cref="DataFormatException"/> naming the file and line.
/// </summary>
public static class CsvReader
{
    private static readonly char[] CandidateDelimiters = [',', ';', '\t'];

    /// <summary>Reads a CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="DataFormatException">The file is not a CSV table with a header.</exception>
    public static CsvTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file; expected a CSV file.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads CSV text from a stream (UTF-8, BOM optional), which stays open.</summary>
    /// <param name="stream">The file's bytes.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <exception cref="DataFormatException">The text is not a CSV table with a header.</exception>
    public static CsvTable Read(Stream stream, string source)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Parse(reader.ReadToEnd(), source);
    }

    /// <summary>Parses CSV text.</summary>
    /// <param name="text">The whole file's text; a leading BOM is ignored.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <exception cref="DataFormatException">The text is not a CSV table with a header.</exception>
    public static CsvTable Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        char delimiter = DetectDelimiter(text);
        var records = new List<string[]>();
        var lines = new List<int>();
        new Tokenizer(text, delimiter, source).ReadAll(records, lines);
        if (records.Count == 0)
        {
            throw new DataFormatException(source, "",
                "the file is empty; expected a header row with the column names, then one data row per sample.");
        }

        var header = ReadHeader(records[0], lines[0], source);
        for (int r = 1; r < records.Count; r++)
        {
            if (records[r].Length != header.Length)
            {
                throw new DataFormatException(source, $"line {lines[r]}",
                    $"this row has {records[r].Length} field{(records[r].Length == 1 ? "" : "s")}; expected {header.Length}, " +
                    $"one per column of the header (line {lines[0]}, delimiter {Describe(delimiter)}).");
            }
        }

        if (records.Count == 1)
        {
            throw new DataFormatException(source, $"line {lines[0]}",
                "the file has a header but no data rows; expected one row per sample after the header.");
        }

        return new CsvTable(source, delimiter, header, [.. records.Skip(1)], [.. lines.Skip(1)]);
    }

    /// <summary>Describes a delimiter for messages: <c>','</c>, <c>';'</c> or <c>tab</c>.</summary>
    internal static string Describe(char delimiter) => delimiter == '\t' ? "tab" : $"'{delimiter}'";

    private static string[] ReadHeader(string[] fields, int line, string source)
    {
        var names = fields.Select(f => f.Trim()).ToArray();
        if (names.All(IsNumber))
        {
            string sample = string.Join(",", names.Take(5)) + (names.Length > 5 ? ",..." : "");
            throw new DataFormatException(source, $"line {line}",
                $"the first row ({sample}) is all numbers, but a header row is required: " +
                "add a first line with one name per column, e.g. \"x1,x2,label\".");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                throw new DataFormatException(source, $"line {line}",
                    $"column {i + 1} of the header has no name; expected a name for every column.");
            }

            if (!seen.Add(names[i]))
            {
                throw new DataFormatException(source, $"line {line}",
                    $"the header names column \"{names[i]}\" twice; expected unique column names.");
            }
        }

        return names;
    }

    private static bool IsNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    // The first non-blank line outside quotes decides: ',' if it has any, else ';', else tab.
    private static char DetectDelimiter(string text)
    {
        Span<int> counts = stackalloc int[CandidateDelimiters.Length];
        bool quoted = false;
        bool content = false;
        foreach (char c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                if (content)
                {
                    break;
                }
            }
            else if (!quoted)
            {
                int k = Array.IndexOf(CandidateDelimiters, c);
                if (k >= 0)
                {
                    counts[k]++;
                }
            }

            content |= !char.IsWhiteSpace(c) || c == '\t';
        }

        for (int k = 0; k < CandidateDelimiters.Length; k++)
        {
            if (counts[k] > 0)
            {
                return CandidateDelimiters[k];
            }
        }

        return ',';
    }

    /// <summary>Splits text into records of unquoted fields, noting the line each record starts on.</summary>
    private sealed class Tokenizer(string text, char delimiter, string source)
    {
        private readonly StringBuilder _quoted = new();
        private int _position;
        private int _line = 1;

        public void ReadAll(List<string[]> records, List<int> lines)
        {
            var fields = new List<string>();
            while (_position < text.Length)
            {
                int recordLine = _line;
                bool blank = true;
                fields.Clear();
                while (true)
                {
                    var (field, quoted) = ReadField();
                    fields.Add(field);
                    blank &= !quoted && string.IsNullOrWhiteSpace(field);
                    if (_position < text.Length && text[_position] == delimiter)
                    {
                        _position++;
                        blank = false;
                        continue;
                    }

                    SkipLineEnd();
                    break;
                }

                if (!blank)
                {
                    records.Add([.. fields]);
                    lines.Add(recordLine);
                }
            }
        }

        private (string Field, bool Quoted) ReadField()
        {
            int start = _position;
            while (_position < text.Length && text[_position] is ' ' && delimiter != ' ')
            {
                _position++;
            }

            if (_position < text.Length && text[_position] == '"')
            {
                return (ReadQuoted(), true);
            }

            _position = start;
            while (_position < text.Length && text[_position] != delimiter && text[_position] is not ('\n' or '\r'))
            {
                _position++;
            }

            return (text[start.._position], false);
        }

        private string ReadQuoted()
        {
            int openLine = _line;
            _quoted.Clear();
            _position++;
            while (true)
            {
                if (_position >= text.Length)
                {
                    throw new DataFormatException(source, $"line {openLine}",
                        "a quoted field opened on this line is never closed; expected a closing '\"' " +
                        "(a quote inside a quoted field is written as \"\").");
                }

                char c = text[_position++];
                if (c == '"')
                {
                    if (_position < text.Length && text[_position] == '"')
                    {
                        _quoted.Append('"');
                        _position++;
                        continue;
                    }

                    break;
                }

                if (c == '\n' || (c == '\r' && (_position >= text.Length || text[_position] != '\n')))
                {
                    _line++;
                }

                _quoted.Append(c);
            }

            while (_position < text.Length && text[_position] == ' ' && delimiter != ' ')
            {
                _position++;
            }

            if (_position < text.Length && text[_position] != delimiter && text[_position] is not ('\n' or '\r'))
            {
                throw new DataFormatException(source, $"line {_line}",
                    $"unexpected '{text[_position]}' after the closing quote of a quoted field; expected the delimiter " +
                    $"{Describe(delimiter)} or the end of the line (a quote inside a quoted field is written as \"\").");
            }

            return _quoted.ToString();
        }

        private void SkipLineEnd()
        {
            if (_position < text.Length && text[_position] == '\r')
            {
                _position++;
            }

            if (_position < text.Length && text[_position] == '\n')
            {
                _position++;
            }

            _line++;
        }
    }
}
