namespace Backprop.Cluster.ParameterServer;

/// <summary>
/// The parameter server's running counts for one worker. Mutable and owned by the server actor
/// alone (updated in place, so that a step allocates nothing for it); it leaves the actor only as
/// an immutable <see cref="WorkerCounters"/>.
/// </summary>
internal sealed class WorkerTally(string workerId)
{
    private long _steps;
    private long _samples;
    private double _lastArrivalMicros;
    private long _lastComputeMicros;
    private long _rejected;

    /// <summary>Its whole gradient of a step arrived.</summary>
    /// <param name="samples">Rows the gradient covers.</param>
    /// <param name="arrivalMicros">Microseconds since the step's broadcast.</param>
    /// <param name="computeMicros">Its own computation, as it reported it.</param>
    public void Arrived(int samples, double arrivalMicros, long computeMicros)
    {
        _steps++;
        _samples += samples;
        _lastArrivalMicros = arrivalMicros;
        _lastComputeMicros = computeMicros;
    }

    /// <summary>A slice of it was rejected.</summary>
    public void Rejected() => _rejected++;

    /// <summary>The counts now, as an immutable record.</summary>
    public WorkerCounters Snapshot() => new(workerId, _steps, _samples, _lastArrivalMicros, _lastComputeMicros, _rejected);
}
