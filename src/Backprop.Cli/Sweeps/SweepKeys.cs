using System.Globalization;
using Backprop.Cluster.Configuration;
using Backprop.Nn.Settings;

namespace Backprop.Cli.Sweeps;

/// <summary>
/// The settings a grid may name: short names for the ones swept most, or any full key under
/// <c>backprop</c>. Unknown keys fail with the configuration reader's own message and suggestion.
/// </summary>
internal static class SweepKeys
{
    /// <summary>The short name for the hidden layers' widths: <c>hidden=256x128,64</c>.</summary>
    public const string Hidden = "hidden";

    private const string LayersKey = "backprop.model.layers";

    /// <summary>Each short name and the key it stands for, in the order messages list them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ShortNames { get; } =
    [
        new("lr", "backprop.optimizer.learning-rate"),
        new("batch", "backprop.training.batch-size"),
        new("epochs", "backprop.training.epochs"),
        new("optimizer", "backprop.optimizer.name"),
        new("seed", "backprop.training.seed"),
        new("momentum", "backprop.optimizer.momentum"),
        new("weight-decay", "backprop.optimizer.weight-decay"),
        new("clip-norm", "backprop.optimizer.clip-norm"),
        new("schedule", "backprop.schedule.name"),
        new(Hidden, LayersKey),
    ];

    /// <summary>The full key <paramref name="name"/> sets.</summary>
    /// <param name="name">A short name or a full key.</param>
    /// <exception cref="InvalidSettingException">No setting has that name.</exception>
    public static string Resolve(string name)
    {
        foreach (var (shortName, key) in ShortNames)
        {
            if (shortName == name)
            {
                return key;
            }
        }

        return name.Contains('.', StringComparison.Ordinal) ? FullKey(name) : throw UnknownShortName(name);
    }

    /// <summary>The HOCON value text that sets <paramref name="axis"/>'s key to <paramref name="value"/>.</summary>
    /// <param name="axis">The swept setting.</param>
    /// <param name="value">One of its values, as written.</param>
    /// <param name="baseSettings">The settings without the grid: <c>hidden</c> keeps each layer's other keys from them.</param>
    /// <exception cref="InvalidSettingException">A <c>hidden</c> value is not a list of widths.</exception>
    public static string OverrideValue(GridAxis axis, string value, BackpropSettings baseSettings) =>
        axis.Name == Hidden ? SettingsWriter.Layers(HiddenLayers(value, baseSettings.Model.Layers)) : value;

    private static string FullKey(string key)
    {
        SettingKeys.CheckValueKey(key);
        return key;
    }

    private static InvalidSettingException UnknownShortName(string name)
    {
        string known = string.Join(", ", ShortNames.Select(n => n.Key));
        string? nearest = SettingKeys.Nearest(name, ShortNames.Select(n => n.Key));
        string? fullKey = SettingKeys.ValueKeys().FirstOrDefault(path => path.EndsWith("." + name, StringComparison.Ordinal));
        string hint = nearest is not null ? $"did you mean {nearest}? "
            : fullKey is not null ? $"did you mean {fullKey}? "
            : string.Empty;
        return new InvalidSettingException(name, $"unknown key; {hint}Short names: {known}; or give a full key such as backprop.optimizer.learning-rate.");
    }

    /// <summary>Hidden layers of the widths in <paramref name="value"/> (<c>256x128</c>; <c>none</c> for none), each otherwise as the base's layer at that depth (else its last).</summary>
    private static List<LayerSettings> HiddenLayers(string value, IReadOnlyList<LayerSettings> baseLayers)
    {
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var layers = new List<LayerSettings>();
        foreach (string width in value.Split('x'))
        {
            if (!int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out int units) || units < 1)
            {
                throw new InvalidSettingException(Hidden, $"'{value}' is not a list of layer widths; write them as 256x128 (two hidden layers), 64 (one) or none.");
            }

            var template = baseLayers.Count == 0 ? new LayerSettings() : baseLayers[Math.Min(layers.Count, baseLayers.Count - 1)];
            layers.Add(template with { Units = units });
        }

        return layers;
    }
}
