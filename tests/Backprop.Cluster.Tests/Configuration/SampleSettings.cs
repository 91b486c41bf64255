using Backprop.Nn.Data;
using Backprop.Nn.Initialization;
using Backprop.Nn.Losses;
using Backprop.Nn.Optimizers;
using Backprop.Nn.Schedules;
using Backprop.Nn.Settings;
using Backprop.Nn.Training;
using Backprop.Numerics.Elementwise;

namespace Backprop.Cluster.Tests.Configuration;

/// <summary>A configuration that sets every key to something other than its default, and the settings it means.</summary>
internal static class SampleSettings
{
    public const string EveryKey = """
        # Every key, none at its default.
        backprop {
          data {
            path = "/data/my table.csv"
            test-path = "/data/test.csv"
            target = price
            test-split = 0.25
            scaling = minmax
            task = regression
            max-classes = 12
          }
          model {
            layers = [
              { units = 64, activation = leaky-relu, slope = 0.2, dropout = 0.1, init = he-normal, init-scale = 0.5, bias = 0.01 }
              { units = 32, activation = tanh, slope = 0.01, dropout = 0, init = normal, init-scale = 0.02, bias = -0.5 }
              { units = 16, activation = gelu, init = xavier-uniform }
            ]
            inputs = 13
            outputs = 2
            loss = binary-cross-entropy
            output-init = xavier-normal
          }
          optimizer {
            name = adamw
            learning-rate = 0.001
            momentum = 0.8
            beta1 = 0.85
            beta2 = 0.99
            epsilon = 1e-6
            alpha = 0.95
            weight-decay = 0.0001
            clip-norm = 5
          }
          schedule {
            name = cosine
            step-epochs = 3
            gamma = 0.5
            min-learning-rate = 1e-5
            warmup-steps = 100
          }
          training {
            epochs = 30
            batch-size = 64
            seed = 1234567890123
            validation-split = 0.1
            checkpoint-every = 500
            threads = 2
            init-from = "runs/previous/model.bpm"
            freeze-layers = 1
            replace-output = true
            early-stopping {
              metric = val-accuracy
              patience = 4
              min-delta = 0.001
              restore-best = false
            }
          }
        }
        """;

    public static BackpropSettings EveryKeySettings { get; } = new()
    {
        Data = new DataSettings
        {
            Path = "/data/my table.csv",
            TestPath = "/data/test.csv",
            Target = "price",
            TestSplit = 0.25,
            Scaling = ScalingKind.MinMax,
            Task = TaskKind.Regression,
            MaxClasses = 12,
        },
        Model = new ModelSettings
        {
            Layers =
            [
                new LayerSettings
                {
                    Units = 64, Activation = Activation.LeakyRelu(0.2f), Dropout = 0.1, Init = InitializerKind.HeNormal,
                    InitScale = 0.5, Bias = 0.01,
                },
                new LayerSettings
                {
                    Units = 32, Activation = Activation.Tanh, Init = InitializerKind.Normal, InitScale = 0.02, Bias = -0.5,
                },
                new LayerSettings { Units = 16, Activation = Activation.Gelu, Init = InitializerKind.XavierUniform },
            ],
            Inputs = 13,
            Outputs = 2,
            Loss = LossKind.BinaryCrossEntropy,
            OutputInit = InitializerKind.XavierNormal,
        },
        Optimizer = new OptimizerSettings
        {
            Kind = OptimizerKind.AdamW,
            LearningRate = 0.001,
            Momentum = 0.8,
            Beta1 = 0.85,
            Beta2 = 0.99,
            Epsilon = 1e-6,
            Alpha = 0.95,
            WeightDecay = 0.0001,
            ClipNorm = 5,
        },
        Schedule = new ScheduleSettings
        {
            Kind = ScheduleKind.Cosine,
            StepEpochs = 3,
            Gamma = 0.5,
            MinLearningRate = 1e-5,
            WarmupSteps = 100,
        },
        Training = new TrainingSettings
        {
            Epochs = 30,
            BatchSize = 64,
            Seed = 1234567890123,
            ValidationSplit = 0.1,
            CheckpointEvery = 500,
            Threads = 2,
            InitFrom = "runs/previous/model.bpm",
            FreezeLayers = 1,
            ReplaceOutput = true,
            EarlyStopping = new EarlyStoppingSettings
            {
                Metric = EarlyStoppingMetric.ValidationAccuracy,
                Patience = 4,
                MinDelta = 0.001,
                RestoreBest = false,
            },
        },
    };
}
