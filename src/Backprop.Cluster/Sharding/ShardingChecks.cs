using Backprop.Cluster.Settings;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Sharding;

/// <summary>What a job must be to run on a sharded parameter server, checked before the coordinator starts.</summary>
public static class ShardingChecks
{
    /// <summary>Throws <see cref="InvalidSettingException"/> if the job cannot be sharded as configured.</summary>
    /// <param name="cluster">The cluster settings.</param>
    /// <param name="settings">The job's settings.</param>
    public static void Validate(ClusterSettings cluster, BackpropSettings settings)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(settings);
        if (cluster.Exchange.Servers > 1 && settings.Optimizer.ClipNorm > 0)
        {
            // The clip factor is the norm of the whole gradient: no shard knows it alone.
            throw new InvalidSettingException(
                "backprop.optimizer.clip-norm", $"clips by the whole gradient's norm, which no shard of a sharded parameter server sees ({cluster.Exchange.Servers} servers): set clip-norm = 0 or backprop.cluster.exchange.servers = 1.");
        }
    }
}
