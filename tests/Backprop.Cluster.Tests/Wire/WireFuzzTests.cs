using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Sharding;
using Backprop.Cluster.Wire;
using Backprop.Cluster.Wire.Contracts;

namespace Backprop.Cluster.Tests.Wire;

/// <summary>
/// Corrupted bytes of every message type, fed to the serializer as Akka would: each ends as a message
/// that is still valid, or as a <see cref="SerializationException"/>; never another exception, never a hang.
/// </summary>
public sealed class WireFuzzTests : TestKit
{
    private const int Seed = 5_318_008;
    private const int CasesPerType = 3_000;

    // Far above what one type's cases take (tens of milliseconds); only a hang or a quadratic blow-up reaches it.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private readonly BackpropSerializer _serializer;

    public WireFuzzTests()
        : base(SerializationConfig.Hocon)
    {
        _serializer = new BackpropSerializer((ExtendedActorSystem)Sys);
    }

    public static TheoryData<string> Manifests() => [.. WireContracts.All.Select(c => c.Manifest)];

    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task Corrupted_bytes_should_decode_to_a_valid_message_or_throw_serialization_exception(string manifest)
    {
        // Off the test thread, so that a hang in the reader fails the test instead of stalling the run.
        await Task.Run(() => Fuzz(manifest)).WaitAsync(Budget);
    }

    private void Fuzz(string manifest)
    {
        byte[][] samples = [.. WireSamples.All().Where(m => WireFormat.Manifest(m) == manifest).Select(Serialize)];
        Assert.NotEmpty(samples);
        string[] manifests = [.. WireContracts.All.Select(c => c.Manifest)];

        // One seed per type, derived from its row (string hashes are randomised per process).
        int seed = Seed + Array.IndexOf(manifests, manifest);
        var random = new Random(seed);
        int decoded = 0;
        for (int trial = 0; trial < CasesPerType; trial++)
        {
            byte[] valid = samples[random.Next(samples.Length)];
            (string how, byte[] bytes) = (trial % 4) switch
            {
                0 => ("bit flips", Corruption.FlipBits(valid, random)),
                1 => ("truncation", valid[..random.Next(valid.Length)]),
                2 => ("junk appended", [.. valid, .. Corruption.Noise(random, 1 + random.Next(16))]),
                _ => ("random bytes", Corruption.Noise(random, random.Next(256))),
            };

            string context = $"'{manifest}' {how}, trial {trial}, seed {seed}";
            decoded += Decode(bytes, manifest, context) ? 1 : 0;

            // The same bytes under another type's manifest: a mislabelled frame from a confused peer.
            string other = manifests[random.Next(manifests.Length)];
            Decode(bytes, other, $"{context}, read as '{other}'");
        }

        // Both outcomes happened (flips in values and text decode; the rest is refused), so neither path went untested.
        Assert.InRange(decoded, 1, CasesPerType - 1);
    }

    private byte[] Serialize(IWireMessage message)
    {
        try
        {
            return _serializer.ToBinary(message);
        }
        finally
        {
            WireAssert.Release(message);
        }
    }

    // Reads the bytes; a message must be valid and is released, an error must be exactly SerializationException.
    // Returns whether a message was read.
    private bool Decode(byte[] bytes, string manifest, string context)
    {
        object? message = null;
        var error = Record.Exception(() => message = _serializer.FromBinary(bytes, manifest));
        if (error is not null)
        {
            Assert.True(error.GetType() == typeof(SerializationException), $"{context}: {error}");
            return false;
        }

        try
        {
            WireValidity.AssertValid(message!, manifest, context);
        }
        finally
        {
            WireAssert.Release(message!);
        }

        return true;
    }
}

/// <summary>What a decoded message must satisfy to be handed on: the receiver-side invariants of every contract.</summary>
internal static class WireValidity
{
    /// <summary>
    /// Asserts <paramref name="message"/> is of <paramref name="manifest"/>'s type, has no null string,
    /// its slice lies within its total in a pooled float32 array that holds it, and it can be sent on as is.
    /// </summary>
    public static void AssertValid(object message, string manifest, string context)
    {
        Assert.True(WireContracts.ForManifest(manifest)?.MessageType == message.GetType(), $"{context}: a {message.GetType().Name} for '{manifest}'");
        var wire = (IWireMessage)message;
        TensorSlice? slice = message switch
        {
            ParameterServerProtocol.Weights w => w.Slice,
            ParameterServerProtocol.Gradient g => g.Slice,
            ShardProtocol.ShardTensor t => t.Slice,
            _ => null,
        };
        if (slice is { } s)
        {
            Assert.True(TensorSliceContract.Check(s.TotalLength, s.Offset, s.Count) is null, $"{context}: slice [{s.Offset}, +{s.Count}) of {s.TotalLength} accepted");
            Assert.True(s is { Start: 0, Pooled: true } && s.Data.Length >= s.Count, $"{context}: slice of {s.Count} in a {s.Data.Length}-float array");
            Assert.True(s is { Encoding: TensorEncoding.Fp32, Indices.IsEmpty: true }, $"{context}: received as {s.Encoding} with {s.Indices.Length} indices");
        }

        // The writer refuses what the reader must refuse (null strings, bad ranges): a decoded message passes it.
        var error = Record.Exception(() => WireFormat.Serialize(wire));
        Assert.True(error is null, $"{context}: decoded but cannot be written again: {error}");
    }
}
