namespace Backprop.Cluster.Diagnostics;

/// <summary>What <c>backprop bench lane</c> measured.</summary>
/// <param name="RoundTrips">One row per message size.</param>
/// <param name="StreamGigabytesPerSecond">One-way throughput of back-to-back 4 MB frames.</param>
/// <param name="AllocatedBytesPerRoundTrip">Managed bytes the process allocated per 0.94 MB round trip, all threads.</param>
public sealed record LaneBenchmarkReport(IReadOnlyList<LaneRoundTrip> RoundTrips, double StreamGigabytesPerSecond, double AllocatedBytesPerRoundTrip);
