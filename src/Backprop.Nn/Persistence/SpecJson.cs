using System.Text;
using System.Text.Json;
using Backprop.Nn.Losses;
using Backprop.Nn.Models;
using Backprop.Nn.Training;
using Backprop.Numerics.Elementwise;

namespace Backprop.Nn.Persistence;

/// <summary>
/// The small structured sections of model and checkpoint files as JSON, written by hand with a
/// fixed key order and round-trip number formatting: the same values always give the same bytes.
/// </summary>
internal static class SpecJson
{
    public static string Write(ModelSpec spec)
    {
        return Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("inputs", spec.Inputs);
            w.WriteNumber("outputs", spec.Outputs);
            w.WriteString("loss", spec.Loss.ToString());
            w.WriteStartArray("hidden");
            foreach (var layer in spec.Hidden)
            {
                w.WriteStartObject();
                w.WriteNumber("units", layer.Units);
                w.WriteString("activation", layer.Activation.Kind.ToString());
                w.WriteNumber("slope", layer.Activation.Slope);
                w.WriteNumber("dropout", layer.Dropout);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    public static ModelSpec ReadSpec(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var hidden = root.GetProperty("hidden").EnumerateArray().Select(layer => new LayerSpec(
                layer.GetProperty("units").GetInt32(),
                new Activation(Enum.Parse<ActivationKind>(layer.GetProperty("activation").GetString()!), layer.GetProperty("slope").GetSingle()),
                layer.GetProperty("dropout").GetDouble())).ToList();
            var spec = new ModelSpec(
                root.GetProperty("inputs").GetInt32(), hidden, root.GetProperty("outputs").GetInt32(), Enum.Parse<LossKind>(root.GetProperty("loss").GetString()!));
            if (spec.Inputs < 1 || spec.Outputs < 1 || spec.Hidden.Any(h => h.Units < 1))
            {
                throw new FormatException("a layer width below 1");
            }

            return spec;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new Checkpoints.CheckpointFormatException(source, $"{source}: the architecture section is unreadable ({e.Message}).", e);
        }
    }

    public static string WriteNames(IReadOnlyList<string> names) => Json(w =>
    {
        w.WriteStartArray();
        foreach (string name in names)
        {
            w.WriteStringValue(name);
        }

        w.WriteEndArray();
    });

    public static string[] ReadNames(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("a null name"))];
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new Checkpoints.CheckpointFormatException(source, $"{source}: a list of names is unreadable ({e.Message}).", e);
        }
    }

    public static string WriteState(TrainingState state) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("epoch", state.Epoch);
        w.WriteNumber("next-batch", state.NextBatch);
        w.WriteNumber("step", state.Step);
        w.WriteNumber("epoch-loss-sum", state.EpochLossSum);
        w.WriteNumber("epoch-correct", state.EpochCorrect);
        w.WriteNumber("epoch-samples", state.EpochSamples);
        if (state.BestMetric is { } best)
        {
            w.WriteNumber("best-metric", best);
        }

        w.WriteNumber("best-epoch", state.BestEpoch);
        w.WriteNumber("epochs-without-improvement", state.EpochsWithoutImprovement);
        w.WriteBoolean("stopped-early", state.StoppedEarly);
        w.WriteStartArray("history");
        foreach (var e in state.History)
        {
            // Deterministic values only: timings stay out, so the same run writes the same bytes.
            w.WriteStartObject();
            w.WriteNumber("epoch", e.Epoch);
            w.WriteNumber("steps", e.Steps);
            w.WriteNumber("learning-rate", e.LearningRate);
            w.WriteNumber("train-loss", e.TrainLoss);
            Optional(w, "train-accuracy", e.TrainAccuracy);
            Optional(w, "validation-loss", e.ValidationLoss);
            Optional(w, "validation-accuracy", e.ValidationAccuracy);
            Optional(w, "test-loss", e.TestLoss);
            Optional(w, "test-accuracy", e.TestAccuracy);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static TrainingState ReadState(string json, float[]? bestParameters, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var r = document.RootElement;
            return new TrainingState
            {
                Epoch = r.GetProperty("epoch").GetInt32(),
                NextBatch = r.GetProperty("next-batch").GetInt32(),
                Step = r.GetProperty("step").GetInt64(),
                EpochLossSum = r.GetProperty("epoch-loss-sum").GetDouble(),
                EpochCorrect = r.GetProperty("epoch-correct").GetInt64(),
                EpochSamples = r.GetProperty("epoch-samples").GetInt64(),
                BestMetric = r.TryGetProperty("best-metric", out var best) ? best.GetDouble() : null,
                BestEpoch = r.GetProperty("best-epoch").GetInt32(),
                EpochsWithoutImprovement = r.GetProperty("epochs-without-improvement").GetInt32(),
                StoppedEarly = r.GetProperty("stopped-early").GetBoolean(),
                BestParameters = bestParameters,
                History = [.. r.GetProperty("history").EnumerateArray().Select(e => new EpochReport
                {
                    Epoch = e.GetProperty("epoch").GetInt32(),
                    Steps = e.GetProperty("steps").GetInt64(),
                    LearningRate = e.GetProperty("learning-rate").GetDouble(),
                    TrainLoss = e.GetProperty("train-loss").GetDouble(),
                    TrainAccuracy = Optional(e, "train-accuracy"),
                    ValidationLoss = Optional(e, "validation-loss"),
                    ValidationAccuracy = Optional(e, "validation-accuracy"),
                    TestLoss = Optional(e, "test-loss"),
                    TestAccuracy = Optional(e, "test-accuracy"),
                })],
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new Checkpoints.CheckpointFormatException(source, $"{source}: the training state is unreadable ({e.Message}).", e);
        }
    }

    private static void Optional(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static double? Optional(JsonElement e, string name) => e.TryGetProperty(name, out var value) ? value.GetDouble() : null;

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
