namespace Backprop.Cluster.Sharding;

/// <summary>What a <see cref="ShardHostActor"/> needs besides its node.</summary>
/// <param name="JoinTimeout">How long it waits for a coordinator to give it a shard.</param>
/// <param name="Finished">Called once when it ends: null when the job finished, else why it gave up.</param>
/// <param name="Log">Milestones in plain words; may be null.</param>
/// <param name="LaneHost">The interface its tensor lane listens on, when the job's tensors travel on the lane.</param>
/// <param name="PublicHost">The name the workers reach this node by.</param>
/// <param name="Tls">Mutual TLS on its lane; null for plain TCP.</param>
/// <param name="LanePort">Its lane's port (<c>backprop.cluster.lane-port</c> of its own configuration; 0: any free one).</param>
/// <param name="StateSliceBytes">
/// Largest slice of a snapshot sent to the coordinator: snapshots go over Akka.Remote whatever the
/// transport, so below its frame size (<c>backprop.cluster.slice-bytes</c>).
/// </param>
public sealed record ShardHostOptions(
    TimeSpan JoinTimeout,
    Action<string?> Finished,
    Action<string>? Log = null,
    string LaneHost = "127.0.0.1",
    string PublicHost = "127.0.0.1",
    Security.ClusterTls? Tls = null,
    int StateSliceBytes = 120_000,
    int LanePort = 0);
