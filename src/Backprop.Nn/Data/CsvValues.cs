using System.Globalization;

namespace Backprop.Nn.Data;

/// <summary>Turns CSV fields into numbers, with errors that name the line, column and text.</summary>
internal static class CsvValues
{
    // Spellings of "no value" that spreadsheets, R and pandas write; reading them as numbers (or as
    // a class called "NA") would train on garbage, so they are reported, never imputed.
    private static readonly string[] MissingMarkers = ["", "NA", "N/A", "NaN", "?", "null"];

    /// <summary>True for an empty field or a missing-value marker (NA, N/A, NaN, ?, null).</summary>
    public static bool IsMissing(string text)
    {
        var trimmed = text.AsSpan().Trim();
        foreach (var marker in MissingMarkers)
        {
            if (trimmed.Equals(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a number the invariant way (exponents allowed), as a double.</summary>
    public static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>The field as a float, or a <see cref="DataFormatException"/> saying why it is not one.</summary>
    public static float Number(CsvTable table, int row, int column)
    {
        string text = table.Field(row, column);
        if (TryParse(text, out double value) && Math.Abs(value) <= float.MaxValue)
        {
            return (float)value;
        }

        throw NotANumber(table, row, column, text);
    }

    /// <summary>The error for a field that should be a number and is not.</summary>
    public static DataFormatException NotANumber(CsvTable table, int row, int column, string text)
    {
        string location = table.Locate(row, column);
        if (IsMissing(text))
        {
            return Missing(table, row, column);
        }

        if (TryParse(text, out double value))
        {
            return new DataFormatException(table.Source, location,
                $"{value.ToString("G", CultureInfo.InvariantCulture)} is outside the range of a 32-bit float; " +
                "expected a number of magnitude at most 3.4e38.");
        }

        string hint = text.Contains(',', StringComparison.Ordinal) && TryParse(text.Replace(',', '.'), out _)
            ? " Decimal commas are not supported: write 1.5, not 1,5."
            : "";
        return new DataFormatException(table.Source, location,
            $"\"{text}\" is not a number; expected a finite number such as 1.5 or -2e-3 " +
            $"('.' as the decimal point, no thousands separators).{hint}");
    }

    /// <summary>The error for a missing value.</summary>
    public static DataFormatException Missing(CsvTable table, int row, int column)
    {
        string text = table.Field(row, column).Trim();
        string shown = text.Length == 0 ? "an empty field" : $"\"{text}\"";
        return new DataFormatException(table.Source, table.Locate(row, column),
            $"missing value ({shown}); expected a value in every field: fill it in or drop the row " +
            "(missing values are not imputed).");
    }
}
