namespace Backprop.Cluster.Wire;

/// <summary>The version of the wire protocol; a worker with another is refused at registration.</summary>
public static class WireVersion
{
    /// <summary>Bumped whenever a message contract changes incompatibly.</summary>
    public const int Current = 2;
}
