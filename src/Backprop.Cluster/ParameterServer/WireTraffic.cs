namespace Backprop.Cluster.ParameterServer;

/// <summary>
/// Tensor payload bytes that crossed the wire at the parameter server: the values (and top-k
/// positions) of weights sent and gradient slices received, in their wire encoding, without message
/// headers or transport framing. Zero where tensors were handed over in process.
/// </summary>
/// <param name="Down">Weights, server to workers.</param>
/// <param name="Up">Gradients, workers to server.</param>
public readonly record struct WireTraffic(long Down, long Up)
{
    /// <summary>Both ways.</summary>
    public long Total => Down + Up;

    /// <summary>The sum of two counts.</summary>
    /// <param name="a">One.</param>
    /// <param name="b">The other.</param>
    public static WireTraffic operator +(WireTraffic a, WireTraffic b) => new(a.Down + b.Down, a.Up + b.Up);
}
