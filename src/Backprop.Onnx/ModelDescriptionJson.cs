using System.Text.Json.Serialization;

namespace Backprop.Onnx;

/// <summary>Source-generated JSON for the name lists in the metadata (no reflection, trimming-safe).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ModelDescriptionJson : JsonSerializerContext;
