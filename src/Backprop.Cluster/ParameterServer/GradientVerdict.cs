namespace Backprop.Cluster.ParameterServer;

/// <summary>What the parameter server did with one gradient slice.</summary>
/// <param name="Accepted">Whether it was taken into the step.</param>
/// <param name="Reason">Why it was rejected (a short code: stale, future, duplicate, …); null if accepted.</param>
/// <param name="Detail">The rejection in plain words, for the log.</param>
/// <param name="Kept">Whether the server kept the slice itself (a whole gradient) and releases it when the step closes.</param>
public readonly record struct GradientVerdict(bool Accepted, string? Reason, string? Detail, bool Kept = false)
{
    /// <summary>Taken into the step (copied).</summary>
    public static GradientVerdict Ok => new(true, null, null);

    /// <summary>Taken into the step as it is: the slice now belongs to the server.</summary>
    public static GradientVerdict OkKept => new(true, null, null, Kept: true);

    /// <summary>Rejected for <paramref name="reason"/>.</summary>
    /// <param name="reason">The short code counted in the summary.</param>
    /// <param name="detail">The log line.</param>
    public static GradientVerdict Reject(string reason, string detail) => new(false, reason, detail);
}
