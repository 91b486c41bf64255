using Backprop.Nn.Jobs;

namespace Backprop.Cli.Sweeps;

/// <summary>
/// Runs a sweep's trials in order, recording each in <c>sweep.json</c> as it starts and ends, so the file
/// always says which trials completed. Trials that already ended (finished or failed) are skipped, which
/// is how <c>--resume</c> carries on.
/// </summary>
/// <param name="directory">The sweep folder.</param>
/// <param name="view">Shown every change.</param>
/// <param name="train">Trains one trial and returns it ended: finished, failed or interrupted.</param>
internal sealed class SweepRunner(string directory, ISweepView view, Func<TrialRecord, TrialRecord> train)
{
    /// <summary>Runs the trials that have not ended, until all have or <paramref name="stop"/> is set.</summary>
    /// <param name="sweep">The sweep as recorded so far.</param>
    /// <param name="metric">The metric the best trial is chosen by; null for the default of the trials' task.</param>
    /// <param name="stop">Set by Ctrl+C or SIGTERM: no further trial starts.</param>
    /// <returns>The sweep as recorded at the end, with the best trial.</returns>
    public SweepRecord Run(SweepRecord sweep, SweepMetric? metric, CancellationToken stop)
    {
        for (int i = 0; i < sweep.TrialList.Count; i++)
        {
            if (TrialStatus.IsDone(sweep.TrialList[i].Status))
            {
                continue;
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            sweep = Record(sweep, i, sweep.TrialList[i] with { Status = TrialStatus.Running, Error = null, WallSeconds = null });
            var ended = train(sweep.TrialList[i]);
            sweep = Record(sweep, i, ended);
            if (ended.Status == TrialStatus.Interrupted)
            {
                // The run was stopped inside by the same signal; its checkpoint lets --resume continue it.
                break;
            }
        }

        sweep = WithBest(sweep, metric ?? SweepMetric.DefaultFor(sweep.TrialList));
        SweepFile.Write(directory, sweep);
        if (sweep.Best is { } best)
        {
            string config = Path.Combine(sweep.TrialList.First(t => t.Id == best).RunDir, RunFiles.Config);
            SweepFile.WriteAtomically(Path.Combine(directory, SweepFile.BestConfig), File.ReadAllText(config));
        }

        return sweep;
    }

    /// <summary>The sweep with its best trial by <paramref name="metric"/>, and whether every trial has ended.</summary>
    public static SweepRecord WithBest(SweepRecord sweep, SweepMetric metric)
    {
        var best = metric.Best(sweep.TrialList);
        return sweep with
        {
            Metric = metric.Name,
            Best = best?.Id,
            BestValue = best is null ? null : metric.Read(best),
            Completed = sweep.TrialList.All(t => TrialStatus.IsDone(t.Status)),
        };
    }

    private SweepRecord Record(SweepRecord sweep, int index, TrialRecord trial)
    {
        var trials = sweep.TrialList.ToArray();
        trials[index] = trial;
        sweep = sweep with { TrialList = trials };
        SweepFile.Write(directory, sweep);
        view.Update(sweep, trial);
        return sweep;
    }
}
