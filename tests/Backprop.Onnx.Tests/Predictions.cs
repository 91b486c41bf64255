using Backprop.Nn.Data;
using Backprop.Nn.Evaluation;
using Backprop.Nn.Models;
using Backprop.Nn.Persistence;
using Backprop.Numerics.Gemm;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Onnx.Tests;

/// <summary>The same raw samples through our own predict path and through ONNX Runtime, and how far apart they are.</summary>
internal static class Predictions
{
    /// <summary>What <c>backprop predict</c> computes: scale the raw features with the model's scaler, run the network.</summary>
    public static float[] Ours(SavedModel model, Dataset raw)
    {
        var features = (float[])raw.Features.Clone();
        model.Scaler.Apply(features, model.Spec.Inputs);
        using var gemm = new GemmEngine(new GemmOptions { Threads = 1 });
        var outputs = new float[raw.Count * model.Spec.Outputs];
        new Evaluator(new Network(model.Spec, model.Parameters, gemm)).Predict(features, raw.Count, outputs);
        return outputs;
    }

    /// <summary>Runs the exported model on the raw features; returns every output by name.</summary>
    public static Dictionary<string, (long[] Shape, float[] Floats, long[] Longs)> Onnx(byte[] model, float[] rawFeatures, int rows, int inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(rawFeatures, [rows, inputs]);
        using var runOptions = new RunOptions();
        var names = session.OutputNames.ToArray();
        using var outputs = session.Run(runOptions, [OnnxNames.Input], [input], names);
        var result = new Dictionary<string, (long[], float[], long[])>();
        for (int i = 0; i < names.Length; i++)
        {
            var info = outputs[i].GetTensorTypeAndShape();
            result[names[i]] = info.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64
                ? (info.Shape, [], outputs[i].GetTensorDataAsSpan<long>().ToArray())
                : (info.Shape, outputs[i].GetTensorDataAsSpan<float>().ToArray(), []);
        }

        return result;
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    /// <summary>Max |a − b| / max(1, |a|): absolute for values up to 1, relative above (regression in its own units).</summary>
    public static double MaxScaledDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]) / Math.Max(1, Math.Abs((double)a[i])));
        }

        return max;
    }

    /// <summary>Classification: our probabilities as the ONNX model lists them ([1 − p, p] for the one-logit binary model).</summary>
    public static float[] AsClassProbabilities(SavedModel model, float[] ours)
    {
        if (model.Spec.Outputs != 1)
        {
            return ours;
        }

        var both = new float[ours.Length * 2];
        for (int r = 0; r < ours.Length; r++)
        {
            both[2 * r] = 1 - ours[r];
            both[(2 * r) + 1] = ours[r];
        }

        return both;
    }
}
