namespace Backprop.Cluster.Diagnostics;

/// <summary>Round trips of one message size on the tensor lane.</summary>
/// <param name="Bytes">Payload bytes each way.</param>
/// <param name="MedianMicros">Median round trip (up and back down), actor to actor.</param>
/// <param name="P99Micros">99th percentile round trip.</param>
/// <param name="GigabytesPerSecond">Payload moved per second over a median round trip, both directions counted.</param>
public sealed record LaneRoundTrip(int Bytes, double MedianMicros, double P99Micros, double GigabytesPerSecond);
