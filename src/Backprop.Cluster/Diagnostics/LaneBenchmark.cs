using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Backprop.Cluster.Lane;
using Backprop.Cluster.ParameterServer;
using Backprop.Cluster.Wire;

namespace Backprop.Cluster.Diagnostics;

/// <summary>
/// Measures the tensor lane on loopback the way a step uses it, actor to actor: a gradient up to a
/// parameter-server stand-in that answers with weights of the same size, timed per round trip; then
/// one-way streaming of 4 MB frames. Compare with the raw-TCP ping-pong floor and iperf3.
/// </summary>
public static class LaneBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="sizes">Payload sizes in bytes, each way.</param>
    /// <param name="roundTrips">Round trips per size (after a warm-up of a tenth as many).</param>
    public static async Task<LaneBenchmarkReport> RunAsync(IReadOnlyList<int> sizes, int roundTrips)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        using var system = ActorSystem.Create("lane-bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(SerializationConfig.Config));
        const string Job = "bench";
        int maxPayload = (sizes.Append(4 << 20).Max() * 2) + 4096;
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        await using var lane = LaneServer.Start(system, "127.0.0.1", 0, Job, echo, ActorRefs.Nobody, maxPayload);
        var timer = new Timer();
        var client = system.ActorOf(Props.Create(() => new Client(timer)));
        var server = await LaneClient.ConnectAsync(system, "127.0.0.1", lane.Port, Job, "bench-worker", client, maxPayload).ConfigureAwait(false);

        var rows = new List<LaneRoundTrip>();
        double allocated = 0;
        foreach (int bytes in sizes)
        {
            var values = Enumerable.Range(0, bytes / sizeof(float)).Select(i => (float)i).ToArray();
            for (int i = 0; i < Math.Max(5, roundTrips / 10); i++)
            {
                await RoundTripAsync(server, client, timer, values).ConfigureAwait(false);
            }

            long allocatedBefore = GC.GetTotalAllocatedBytes();
            var micros = new double[roundTrips];
            for (int i = 0; i < roundTrips; i++)
            {
                micros[i] = await RoundTripAsync(server, client, timer, values).ConfigureAwait(false);
            }

            if (bytes == 940_584)
            {
                allocated = (double)(GC.GetTotalAllocatedBytes() - allocatedBefore) / roundTrips;
            }

            Array.Sort(micros);
            double median = micros[micros.Length / 2];
            rows.Add(new LaneRoundTrip(bytes, median, micros[(int)(micros.Length * 0.99)], 2.0 * bytes / median / 1e3));
        }

        double stream = await StreamAsync(server, timer).ConfigureAwait(false);
        return new LaneBenchmarkReport(rows, stream, allocated);
    }

    private static async Task<double> RoundTripAsync(IActorRef server, IActorRef client, Timer timer, float[] values)
    {
        var reply = timer.Arm();
        long start = Stopwatch.GetTimestamp();
        server.Tell(new ParameterServerProtocol.Gradient("bench", 0, 0, 1, 0, 0, TensorSlice.Borrow(values, 0, values.Length)), client);
        await reply.ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    /// <summary>One-way: 4 MB gradients back to back, the echo answering only every 32nd with a tiny ack.</summary>
    private static async Task<double> StreamAsync(IActorRef server, Timer timer)
    {
        const int Frames = 256;
        var values = new float[1 << 20];
        long start = Stopwatch.GetTimestamp();
        for (int batch = 0; batch < Frames / 32; batch++)
        {
            var ack = timer.Arm();
            for (int i = 0; i < 32; i++)
            {
                server.Tell(new ParameterServerProtocol.Gradient("bench", i == 31 ? 1 : 2, 0, 1, 0, 0, TensorSlice.Borrow(values, 0, values.Length)));
            }

            await ack.ConfigureAwait(false);
        }

        return (double)Frames * values.Length * sizeof(float) / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }

    /// <summary>Completes when the client actor hears back.</summary>
    private sealed class Timer
    {
        private TaskCompletionSource _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Arm()
        {
            _reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _reply.Task;
        }

        public void Fire() => _reply.TrySetResult();
    }

    /// <summary>The parameter-server stand-in: answers a gradient with weights of its size (version 2: no answer, 1: a tiny one).</summary>
    private sealed class Echo : ReceiveActor
    {
        public Echo()
        {
            Receive<ParameterServerProtocol.Gradient>(g =>
            {
                var slice = g.Slice;
                if (g.Version == 0)
                {
                    Sender.Tell(new ParameterServerProtocol.Weights("bench", 0, 0, 0, 0, 1, slice));
                    return;
                }

                slice.Release();
                if (g.Version == 1)
                {
                    Sender.Tell(new ParameterServerProtocol.Weights("bench", 1, 0, 0, 0, 1, TensorSlice.Copy(1, 0, [1f])));
                }
            });
        }
    }

    private sealed class Client : ReceiveActor
    {
        public Client(Timer timer)
        {
            Receive<ParameterServerProtocol.Weights>(w =>
            {
                w.Slice.Release();
                timer.Fire();
            });
            Receive<LaneEvents.Lost>(_ => { });
        }
    }
}
