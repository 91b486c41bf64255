using System.Globalization;

namespace Backprop.Nn.Settings;

/// <summary>The range checks the settings records share; each failure names the key.</summary>
internal static class SettingChecks
{
    public static void AtLeast(string key, long value, long minimum)
    {
        if (value < minimum)
        {
            throw new InvalidSettingException(key, $"must be at least {minimum}, got {value}.");
        }
    }

    public static void Positive(string key, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new InvalidSettingException(key, $"must be a positive number, got {Format(value)}.");
        }
    }

    public static void NonNegative(string key, double value)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new InvalidSettingException(key, $"must be zero or positive, got {Format(value)}.");
        }
    }

    /// <summary>0 ≤ value &lt; 1 (a fraction that must leave something over).</summary>
    public static void Fraction(string key, double value)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new InvalidSettingException(key, $"must be in [0, 1), got {Format(value)}.");
        }
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
