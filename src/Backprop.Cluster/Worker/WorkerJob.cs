using Backprop.Cluster.Configuration;
using Backprop.Cluster.Settings;
using Backprop.Nn.Jobs;
using Backprop.Nn.Models;
using Backprop.Nn.Training;
using Backprop.Numerics.Gemm;

namespace Backprop.Cluster.Worker;

/// <summary>
/// A worker's side of a job: its own copy of the data prepared exactly as the coordinator prepares
/// it (same file, seed, splits and scaling — checked by fingerprint), a replica of the model, and the
/// slice computation. Built off the actor's mailbox.
/// </summary>
internal sealed class WorkerJob : IDisposable
{
    private readonly GemmEngine _gemm;

    private WorkerJob(string jobId, SliceTrainer trainer, ulong fingerprint, int trainSamples, GemmEngine gemm, GradientEncoder encoder)
    {
        JobId = jobId;
        Trainer = trainer;
        Fingerprint = fingerprint;
        TrainSamples = trainSamples;
        _gemm = gemm;
        Encoder = encoder;
    }

    public string JobId { get; }

    public SliceTrainer Trainer { get; }

    public ulong Fingerprint { get; }

    public int TrainSamples { get; }

    /// <summary>Encodes the gradient under the job's compression; with top-k it keeps this job's residual.</summary>
    public GradientEncoder Encoder { get; }

    public static WorkerJob Prepare(string jobId, string configText, int threads, ExchangeSettings exchange)
    {
        var settings = SettingsReader.LoadText(configText, $"job {jobId}");
        var data = PreparedData.Load(settings);
        var spec = NetworkFactory.Resolve(settings.Model, data.Train);
        var gemm = new GemmEngine(new GemmOptions { Threads = threads });
        var network = new Network(spec, new float[new Nn.Parameters.ParameterLayout(spec.Widths).Length], gemm);
        var trainer = new SliceTrainer(network, data.Train, settings.Training.Seed, settings.Training.BatchSize);
        return new WorkerJob(jobId, trainer, data.Fingerprint(), data.Train.Count, gemm, new GradientEncoder(exchange, network.Parameters.Length));
    }

    public void Dispose() => _gemm.Dispose();
}
