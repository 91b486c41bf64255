using Backprop.Cluster.Configuration;
using Backprop.Cluster.Settings;
using Backprop.Nn.Settings;

namespace Backprop.Cli.Sweeps;

/// <summary>
/// Each trial's configuration, resolved as <c>train</c> resolves a run's (reference.conf ← the file ← the
/// environment ← the trial's values) and checked before any trial trains, so a bad value in the last
/// trial fails the sweep at once rather than after hours of the others.
/// </summary>
internal sealed class SweepTrials
{
    private readonly IReadOnlyList<GridAxis> _axes;

    private SweepTrials(IReadOnlyList<GridAxis> axes, BackpropSettings baseSettings)
    {
        _axes = axes;
        BaseSettings = baseSettings;
    }

    /// <summary>The settings without the grid's values.</summary>
    public BackpropSettings BaseSettings { get; }

    /// <summary>Reads the base configuration and checks every trial's.</summary>
    /// <param name="configFile">The base configuration file, or null for the defaults.</param>
    /// <param name="axes">The grid.</param>
    /// <param name="trials">The trials to check.</param>
    /// <exception cref="InvalidSettingException">The base configuration or a trial's is invalid; the message names the trial.</exception>
    public static SweepTrials Check(string? configFile, IReadOnlyList<GridAxis> axes, IReadOnlyList<Trial> trials)
    {
        var environment = EnvironmentOverrides.Read(Environment.GetEnvironmentVariables());
        var baseConfig = SettingsReader.LoadConfig(configFile, environment);
        var resolved = new SweepTrials(axes, SettingsReader.Read(baseConfig));
        foreach (var trial in trials)
        {
            try
            {
                var config = SettingsReader.LoadConfig(configFile, [.. environment, .. resolved.Overrides(trial)]);
                SettingsReader.Read(config);

                // train reads the cluster's settings too, with or without --workers.
                ClusterSettings.Create(config);
            }
            catch (InvalidSettingException e)
            {
                throw new InvalidSettingException($"trial {trial.Id}, {e.KeyPath}", e.Problem);
            }
        }

        return resolved;
    }

    /// <summary>The keys <paramref name="trial"/>'s values set, as HOCON value text, in the grid's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Overrides(Trial trial) =>
        [.. _axes.Select((axis, i) => new KeyValuePair<string, string>(axis.Key, SweepKeys.OverrideValue(axis, trial.Values[i], BaseSettings)))];
}
