namespace Backprop.Nn.Data;

/// <summary>
/// A parsed CSV file: the header's column names and the data records as text, each with the line it
/// starts on (records may span lines inside quotes). Built by <see cref="CsvReader"/>; immutable.
/// </summary>
public sealed class CsvTable
{
    private readonly string[] _header;
    private readonly string[][] _rows;
    private readonly int[] _lines;

    internal CsvTable(string source, char delimiter, string[] header, string[][] rows, int[] lines)
    {
        Source = source;
        Delimiter = delimiter;
        _header = header;
        Header = Array.AsReadOnly(header);
        _rows = rows;
        _lines = lines;
    }

    /// <summary>The file, for messages.</summary>
    public string Source { get; }

    /// <summary>The field delimiter detected from the header line: ',', ';' or tab.</summary>
    public char Delimiter { get; }

    /// <summary>Column names, in file order; unique.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Number of columns.</summary>
    public int ColumnCount => Header.Count;

    /// <summary>Number of data records (the header and blank lines not counted).</summary>
    public int RowCount => _rows.Length;

    /// <summary>The text of one field, unquoted.</summary>
    /// <param name="row">Record index in [0, <see cref="RowCount"/>).</param>
    /// <param name="column">Column index in [0, <see cref="ColumnCount"/>).</param>
    public string Field(int row, int column) => _rows[row][column];

    /// <summary>The 1-based line of the file on which a record starts.</summary>
    /// <param name="row">Record index in [0, <see cref="RowCount"/>).</param>
    public int LineOf(int row) => _lines[row];

    /// <summary>
    /// The index of the column called <paramref name="name"/>: an exact match, else the only
    /// case-insensitive one; -1 when there is none.
    /// </summary>
    /// <param name="name">A column name.</param>
    public int IndexOf(string name)
    {
        int exact = Array.IndexOf(_header, name);
        if (exact >= 0)
        {
            return exact;
        }

        int found = -1;
        for (int i = 0; i < _header.Length; i++)
        {
            if (string.Equals(_header[i], name, StringComparison.OrdinalIgnoreCase))
            {
                if (found >= 0)
                {
                    return -1;
                }

                found = i;
            }
        }

        return found;
    }

    /// <summary>The location of a field for messages: <c>line 17, column "petal width"</c>.</summary>
    /// <param name="row">Record index.</param>
    /// <param name="column">Column index.</param>
    public string Locate(int row, int column) => $"line {LineOf(row)}, column \"{_header[column]}\"";
}
