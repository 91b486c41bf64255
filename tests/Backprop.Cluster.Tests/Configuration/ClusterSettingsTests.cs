using Akka.Configuration;
using Backprop.Cluster.Settings;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Configuration;

/// <summary>Every key of <c>backprop.cluster</c> checked at start-up: its path, the bad value, what was expected.</summary>
public sealed class ClusterSettingsTests
{
    [Theory]
    [InlineData("min-workers = 0", "backprop.cluster.min-workers: must be at least 1, got 0.")]
    [InlineData("transport = udp", "backprop.cluster.transport: \"udp\" is not a transport; expected lane or akka.")]
    [InlineData("lane-port = 70000", "backprop.cluster.lane-port: must be a port number (0 for any free one), got 70000.")]
    [InlineData("slice-bytes = 12", "backprop.cluster.slice-bytes: must be between 1024 and 16000000, got 12.")]
    [InlineData("step-timeout = soon", "backprop.cluster.step-timeout: expected a duration such as 30s, got \"soon\".")]
    [InlineData("step-timeout = 0s", "backprop.cluster.step-timeout: must be a positive duration, got 00:00:00.")]
    [InlineData("max-missed-steps = 0", "backprop.cluster.max-missed-steps: must be at least 1, got 0.")]
    [InlineData("max-missed-steps = three", "backprop.cluster.max-missed-steps: expected a whole number, got \"three\".")]
    [InlineData("step-timout = 5s", "backprop.cluster.step-timout: unknown key;")]
    [InlineData("exchange.bucket-bytes = -1", "backprop.cluster.exchange.bucket-bytes: must be 0 (no buckets) or a size in bytes up to 512000000, got -1.")]
    [InlineData("exchange.bucket-bytes = 1MB", "backprop.cluster.exchange.bucket-bytes: expected a whole number of bytes, got \"1MB\".")]
    [InlineData("exchange.compression = zip", "backprop.cluster.exchange.compression: \"zip\" is not a compression; expected none, bf16, fp16 or top-k.")]
    [InlineData("exchange.top-k-ratio = 0", "backprop.cluster.exchange.top-k-ratio: must be above 0 and at most 1, got 0.")]
    [InlineData("exchange.backup-workers = -2", "backprop.cluster.exchange.backup-workers: must be 0 or more, got -2.")]
    [InlineData("exchange { backup-workers = 1, staleness = 2 }", "backprop.cluster.exchange.staleness: backup-workers and staleness are two different step modes")]
    [InlineData("exchange.buckets = 3", "backprop.cluster.exchange.buckets: unknown key;")]
    [InlineData("exchange.servers = 0", "backprop.cluster.exchange.servers: must be 1 (the coordinator holds every parameter) to 64 shards, got 0.")]
    [InlineData("transport = akka, exchange { servers = 2, staleness = 1 }", "backprop.cluster.exchange.servers: a sharded parameter server (2 servers) runs synchronous steps only")]
    public void A_bad_value_should_be_refused_with_its_key_and_what_was_expected(string line, string message)
    {
        var config = ConfigurationFactory.ParseString($"backprop.cluster {{ {line} }}");

        var error = Assert.Throws<InvalidSettingException>(() => ClusterSettings.Create(config));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Good_values_should_be_read()
    {
        var config = ConfigurationFactory.ParseString("backprop.cluster { min-workers = 4, transport = akka, step-timeout = 500ms, max-missed-steps = 5 }");

        var settings = ClusterSettings.Create(config);

        Assert.Equal((4, "akka", TimeSpan.FromMilliseconds(500), 5), (settings.MinWorkers, settings.Transport, settings.StepTimeout, settings.MaxMissedSteps));
    }

    [Fact]
    public void Exchange_values_should_be_read()
    {
        var config = ConfigurationFactory.ParseString("backprop.cluster.exchange { bucket-bytes = 1048576, compression = top-k, top-k-ratio = 0.05, backup-workers = 1 }");

        var exchange = ClusterSettings.Create(config).Exchange;

        Assert.Equal(new ExchangeSettings { BucketBytes = 1_048_576, Compression = WireCompression.TopK, TopKRatio = 0.05, BackupWorkers = 1 }, exchange);
        Assert.False(exchange.Synchronous);
    }
}
