using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Settings;

namespace Backprop.Cluster.Sharding;

/// <summary>What a <see cref="ServerGroupActor"/> starts with.</summary>
/// <param name="Server">Shard 0's setup: the whole start values, the optimiser, the position, and the plan.</param>
/// <param name="ConfigText">The job's resolved configuration, for the server nodes' optimiser and schedule.</param>
/// <param name="Widths">The model's layer widths, input first.</param>
/// <param name="Exchange">The job's exchange settings.</param>
/// <param name="Log">Milestones in plain words; may be null.</param>
/// <param name="Lane">Whether tensors travel on the tensor lane: each server node then listens on a lane of its own.</param>
/// <param name="StateSliceBytes">
/// Largest slice of the start values sent to a server node: they go over Akka.Remote whatever the
/// transport, so below its frame size (<c>backprop.cluster.slice-bytes</c>).
/// </param>
public sealed record ServerGroupSetup(
    ParameterServerSetup Server, string ConfigText, IReadOnlyList<int> Widths, ExchangeSettings Exchange, Action<string>? Log, bool Lane = false, int StateSliceBytes = 120_000);
