using System.Text.Json.Serialization;

namespace Backprop.Cli.Sweeps;

/// <summary>Source-generated JSON for <c>sweep.json</c> and <c>sweep --json</c>: snake_case keys, indented, no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(SweepRecord))]
internal sealed partial class SweepJsonContext : JsonSerializerContext;
