namespace Backprop.Cluster.Wire;

/// <summary>What <see cref="TensorAssembly.Add"/> did with a slice.</summary>
public enum AssemblyOutcome
{
    /// <summary>Copied into the tensor.</summary>
    Accepted,

    /// <summary>Dropped: it overlaps a range already received.</summary>
    Duplicate,

    /// <summary>Dropped: another tensor's length, or a range outside the tensor or outside its own data.</summary>
    OutOfRange,
}
