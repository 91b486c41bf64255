using System.Collections.Frozen;
using System.Collections.Immutable;
using Backprop.Cluster.Coordinator;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Sharding;
using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Wire.Contracts;

/// <summary>
/// Every message that crosses nodes, in one table: manifest ↔ type ↔ contract. To add a message,
/// write its <c>XContract</c> beside the others and add its row here (and a sample to the round-trip
/// tests). Manifests travel with every message: never change or reuse one.
/// </summary>
internal static class WireContracts
{
    /// <summary>The rows; manifests and types are each unique.</summary>
    public static readonly ImmutableArray<WireContract> All =
    [
        WireContract.For<CoordinatorProtocol.RegisterWorker, RegisterWorkerContract>("reg"),
        WireContract.For<CoordinatorProtocol.WorkerReady, WorkerReadyContract>("rdy"),
        WireContract.For<CoordinatorProtocol.WorkerFailed, WorkerFailedContract>("wf"),
        WireContract.For<WorkerProtocol.JobOffer, JobOfferContract>("job"),
        WireContract.For<WorkerProtocol.Refused, RefusedContract>("ref"),
        WireContract.For<WorkerProtocol.JobFinished, JobFinishedContract>("fin"),
        WireContract.For<ParameterServerProtocol.Weights, WeightsContract>("w"),
        WireContract.For<ParameterServerProtocol.Gradient, GradientContract>("g"),
        WireContract.For<ShardProtocol.RegisterServer, RegisterServerContract>("srv"),
        WireContract.For<ShardProtocol.ShardOffer, ShardOfferContract>("so"),
        WireContract.For<ShardProtocol.ShardTensor, ShardTensorContract>("st"),
        WireContract.For<ShardProtocol.ShardReady, ShardReadyContract>("sr"),
        WireContract.For<ShardProtocol.ShardWorkers, ShardWorkersContract>("sw"),
        WireContract.For<ShardProtocol.ShardControl, ShardControlContract>("sc"),
        WireContract.For<ShardProtocol.ShardSnapshot, ShardSnapshotContract>("ss"),
        WireContract.For<ShardProtocol.ShardLaneChanged, ShardLaneChangedContract>("sl"),
        WireContract.For<ShardProtocol.ShardStepWorkers, ShardStepWorkersContract>("ssw"),
    ];

    private static readonly FrozenDictionary<string, WireContract> ByManifest = All.ToFrozenDictionary(c => c.Manifest, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, WireContract> ByType = All.ToFrozenDictionary(c => c.MessageType);

    /// <summary>The row of <paramref name="manifest"/>, or null when no message has it.</summary>
    /// <param name="manifest">A manifest read off the wire.</param>
    public static WireContract? ForManifest(string manifest) => ByManifest.GetValueOrDefault(manifest);

    /// <summary>The row of <paramref name="type"/>, or null when it has no contract.</summary>
    /// <param name="type">A message type.</param>
    public static WireContract? ForType(Type type) => ByType.GetValueOrDefault(type);
}
