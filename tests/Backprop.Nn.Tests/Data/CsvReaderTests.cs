using Backprop.Nn.Data;

namespace Backprop.Nn.Tests.Data;

public sealed class CsvReaderTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Csv_reader_should_read_utf8_with_a_bom_and_crlf_line_ends()
    {
        string path = _folder.Write("bom.csv", [0xEF, 0xBB, 0xBF, .. "x,y,label\r\n1,2,a\r\n3,4,b\r\n"u8]);

        var table = CsvReader.Read(path);

        Assert.Equal(["x", "y", "label"], table.Header);
        Assert.Equal(2, table.RowCount);
        Assert.Equal("b", table.Field(1, 2));
        Assert.Equal(3, table.LineOf(1));
    }

    [Fact]
    public void Csv_reader_should_ignore_blank_lines_and_count_lines_across_mixed_line_ends()
    {
        var table = Read("a,b\n\n1,2\r\n   \r\n3,4\r5,6", "mixed.csv");

        Assert.Equal(3, table.RowCount);
        Assert.Equal([3, 5, 6], Enumerable.Range(0, 3).Select(table.LineOf));
        Assert.Equal("6", table.Field(2, 1));
    }

    [Fact]
    public void Csv_reader_should_unquote_fields_with_commas_escaped_quotes_and_line_breaks()
    {
        string text = "\"petal, width\",\"say \"\"hi\"\"\",label\n" +
                      "1.5,2,\"two\nlines\"\n" +
                      "3,4,plain\n";

        var table = Read(text, "quoted.csv");

        Assert.Equal(["petal, width", "say \"hi\"", "label"], table.Header);
        Assert.Equal("two\nlines", table.Field(0, 2));
        Assert.Equal(2, table.LineOf(0));
        Assert.Equal(4, table.LineOf(1));
    }

    [Theory]
    [InlineData("a;b;c\n1,5;2;3\n", ';')]
    [InlineData("a\tb\tc\n1.5\t2\t3\n", '\t')]
    [InlineData("\"a;x\",b\n1;2,3\n", ',')]
    public void Csv_reader_should_detect_the_delimiter_from_the_header_line(string text, char expected)
    {
        var table = Read(text, "delimited.csv");

        Assert.Equal(expected, table.Delimiter);
        Assert.Equal(table.ColumnCount, table.Header.Count);
    }

    [Fact]
    public void Csv_reader_should_require_a_header_saying_so_when_the_first_row_is_numbers()
    {
        var error = Assert.Throws<DataFormatException>(() => Read("5.1,3.5,0\n4.9,3.0,1\n", "iris.csv"));

        Assert.Equal(_folder.File("iris.csv"), error.FilePath);
        Assert.Equal("line 1", error.Location);
        Assert.Contains("the first row (5.1,3.5,0) is all numbers, but a header row is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_reader_should_reject_a_ragged_row_with_its_line_and_field_counts()
    {
        var error = Assert.Throws<DataFormatException>(() => Read("a,b,c,d\n1,2,3,4\n\n1,2,3\n", "ragged.csv"));

        Assert.Equal("line 4", error.Location);
        Assert.Contains($"{_folder.File("ragged.csv")}, line 4: this row has 3 fields; expected 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_reader_should_reject_an_unclosed_quote_naming_the_line_it_opened_on()
    {
        var error = Assert.Throws<DataFormatException>(() => Read("a,b\n1,2\n3,\"four\n5,6\n", "open.csv"));

        Assert.Equal("line 3", error.Location);
        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_reader_should_reject_text_after_a_closing_quote()
    {
        var error = Assert.Throws<DataFormatException>(() => Read("a,b\n\"1\"x,2\n", "stray.csv"));

        Assert.Equal("line 2", error.Location);
        Assert.Contains("unexpected 'x' after the closing quote", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("\n\r\n", "the file is empty")]
    [InlineData("a,b\n", "the file has a header but no data rows")]
    [InlineData("a,,c\n1,2,3\n", "column 2 of the header has no name")]
    [InlineData("a,b,a\n1,2,3\n", "the header names column \"a\" twice")]
    public void Csv_reader_should_reject_tables_without_a_usable_header_or_rows(string text, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => Read(text, "bad.csv"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_reader_should_name_the_path_of_a_missing_file()
    {
        string path = _folder.File("absent.csv");

        var error = Assert.Throws<FileNotFoundException>(() => CsvReader.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_table_should_find_columns_exactly_then_case_insensitively()
    {
        var table = Read("Label,x,y,Y\n1,2,3,4\n", "case.csv");

        Assert.Equal(0, table.IndexOf("label"));
        Assert.Equal(2, table.IndexOf("y"));
        Assert.Equal(3, table.IndexOf("Y"));
        Assert.Equal(1, table.IndexOf("X"));
        Assert.Equal(-1, table.IndexOf("z"));
    }

    /// <summary>Writes the text to a file in the scratch folder and reads it back, as users' files are read.</summary>
    private CsvTable Read(string text, string name) => CsvReader.Read(_folder.WriteText(name, text));
}
