using Akka.Actor;
using Backprop.Cluster.Worker;

namespace Backprop.Cluster.Coordinator;

/// <summary>
/// On every coordinator node of a cluster with standbys: hears from the active coordinator that the
/// job ended, so that a standby ends with it instead of taking over a finished job.
/// </summary>
public sealed class CoordinatorStandby : ReceiveActor
{
    /// <summary>Its name, at /user/ on every coordinator node.</summary>
    public const string Name = "standby";

    /// <summary>A standby that passes the job's end to <paramref name="ended"/>.</summary>
    /// <param name="ended">Told whether the job completed, and where it ran.</param>
    public CoordinatorStandby(Action<bool, Address> ended) =>
        Receive<WorkerProtocol.JobFinished>(f => ended(f.Completed, Sender.Path.Address));

    /// <summary>The props of a standby listener.</summary>
    /// <param name="ended">Told whether the job completed, and where it ran.</param>
    /// <returns>The props.</returns>
    public static Props Props(Action<bool, Address> ended) => Akka.Actor.Props.Create(() => new CoordinatorStandby(ended));
}
