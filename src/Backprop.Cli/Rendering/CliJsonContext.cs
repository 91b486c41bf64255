using System.Text.Json.Serialization;
using Backprop.Numerics.Diagnostics;

namespace Backprop.Cli.Rendering;

/// <summary>Source-generated JSON for everything the CLI prints with <c>--json</c>: snake_case keys, no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KernelBenchmarkReport))]
[JsonSerializable(typeof(TrainSummaryJson))]
[JsonSerializable(typeof(EvaluationJson))]
[JsonSerializable(typeof(ModelInfoJson))]
[JsonSerializable(typeof(Backprop.Cli.Metrics.MetricsLine))]
[JsonSerializable(typeof(IReadOnlyList<Backprop.Cli.Runs.RunRow>))]
[JsonSerializable(typeof(Backprop.Cli.Runs.RunComparison))]
[JsonSerializable(typeof(Backprop.Cluster.Diagnostics.LaneBenchmarkReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
