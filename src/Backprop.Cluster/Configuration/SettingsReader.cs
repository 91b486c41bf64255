using Akka.Configuration;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// Reads the <c>backprop</c> section of HOCON configuration into <see cref="BackpropSettings"/>, in layers as
/// Akka does: the embedded <c>reference.conf</c> (every key with its default), then the user's file, then the
/// command-line overrides, each overriding the one before. Keys outside <c>backprop</c>, such as an
/// <c>akka</c> section, are kept in the merged <see cref="Config"/> for their owners and not checked here.
/// </summary>
/// <remarks>
/// Every problem is an <see cref="InvalidSettingException"/> whose <see cref="InvalidSettingException.KeyPath"/>
/// is the key at fault (<c>backprop.training.epoch: unknown key; did you mean backprop.training.epochs?</c>), or
/// the file for problems of a file as a whole (not found, syntax errors with the line).
/// </remarks>
public static class SettingsReader
{
    /// <summary>Reads the settings of a run.</summary>
    /// <param name="configFile">The user's configuration file, or null for the defaults alone.</param>
    /// <param name="overrides">
    /// Keys (<c>backprop.training.epochs</c>) and their values as HOCON value text (<c>5</c>, <c>adam</c>,
    /// <c>"builtin:diabetes"</c>, <c>[{ units = 64 }]</c>), in increasing priority; text that is not a single
    /// HOCON value is taken as literal text.
    /// </param>
    /// <returns>The settings, validated.</returns>
    /// <exception cref="InvalidSettingException">A file cannot be read or parsed, a key is unknown, or a value is of the wrong type or out of range.</exception>
    public static BackpropSettings Load(string? configFile, IReadOnlyList<KeyValuePair<string, string>> overrides) =>
        Read(LoadConfig(configFile, overrides));

    /// <summary>Reads settings stored as HOCON text (a run's <c>config.conf</c>) over the defaults.</summary>
    /// <param name="hocon">The configuration text.</param>
    /// <param name="source">Where the text came from, for error messages.</param>
    /// <returns>The settings, validated.</returns>
    /// <exception cref="InvalidSettingException">The text cannot be parsed, a key is unknown, or a value is wrong.</exception>
    public static BackpropSettings LoadText(string hocon, string source)
    {
        ArgumentNullException.ThrowIfNull(hocon);
        ArgumentNullException.ThrowIfNull(source);
        return Read(ConfigSource.FromText(hocon, source).WithFallback(ConfigSource.Reference()));
    }

    /// <summary>
    /// The merged configuration, every section included, checked as <see cref="Load"/> checks it but not yet
    /// read: for a caller that also needs the other sections (the cluster's <c>akka</c> settings).
    /// </summary>
    /// <param name="configFile">The user's configuration file, or null.</param>
    /// <param name="overrides">As for <see cref="Load"/>.</param>
    /// <returns>reference.conf ← the file ← the overrides.</returns>
    /// <exception cref="InvalidSettingException">A file cannot be read or parsed, or a key is unknown.</exception>
    public static Config LoadConfig(string? configFile, IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = ConfigSource.Reference();
        if (configFile is not null)
        {
            merged = ConfigSource.FromFile(configFile).WithFallback(merged);
        }

        foreach (var (key, value) in overrides)
        {
            merged = ConfigSource.FromOverride(key, value).WithFallback(merged);
        }

        return merged;
    }

    /// <summary>Reads and validates the <c>backprop</c> section of a merged configuration from <see cref="LoadConfig"/>.</summary>
    /// <param name="config">The configuration; absent keys take the records' defaults.</param>
    /// <returns>The settings, validated.</returns>
    /// <exception cref="InvalidSettingException">A value is of the wrong type or out of range.</exception>
    public static BackpropSettings Read(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = SettingsBinder.Bind(config);
        settings.Validate();
        return settings;
    }
}
