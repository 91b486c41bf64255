using Backprop.Nn.Checkpoints;

namespace Backprop.Nn.Tests.Checkpoints;

/// <summary>One section of every type, with awkward values: what the round-trip and damage tests start from.</summary>
internal static class CheckpointSamples
{
    public static readonly float[] Weights = [1.5f, -0f, float.Epsilon, float.MaxValue, float.NaN, float.NegativeInfinity, 3.25e-20f];
    public static readonly double[] Moments = [Math.PI, -1e300, double.Epsilon, 0.1];
    public static readonly int[] Order = [3, 0, -7, int.MaxValue, int.MinValue];
    public static readonly byte[] Raw = [0, 1, 2, 0xFF, 0x42];
    public const long Step = 0x0123_4567_89AB_CDEF;
    public const string Config = "backprop { model { layers = [128, \"relu\"] } }  ünïcødé ✓ 学习";

    public static void Fill(CheckpointWriter writer)
    {
        writer.AddFloats("params", Weights);
        writer.AddDoubles("optimizer.m", Moments);
        writer.AddInt32s("data.order", Order);
        writer.AddInt64("step", Step);
        writer.AddString("config", Config);
        writer.Add("rng", Raw);
        writer.AddFloats("empty", []);
    }

    public static byte[] Bytes(string kind = CheckpointKind.Checkpoint) => CheckpointFile.Bytes(kind, Fill);
}
