using System.Text.Json;

namespace Backprop.IntegrationTests;

/// <summary>The JSON object a <c>--json</c> command ends its stdout with.</summary>
internal static class SummaryJson
{
    public static JsonElement LastLine(string stdout)
    {
        string last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return JsonDocument.Parse(last).RootElement.Clone();
    }
}
