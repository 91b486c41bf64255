using System.Collections;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// Configuration from environment variables, for containers: <c>BACKPROP__TRAINING__EPOCHS=3</c> sets
/// <c>backprop.training.epochs</c>. A double underscore separates the parts of the path and a single
/// one stands for the dash inside a key (<c>BACKPROP__OPTIMIZER__LEARNING_RATE</c>), the convention of
/// .NET's own environment configuration. Values are read as the command line's are (HOCON values).
/// An empty variable counts as unset. <c>BACKPROP_CONFIG</c> names a configuration file when no
/// <c>--config</c> is given.
/// </summary>
public static class EnvironmentOverrides
{
    /// <summary>The prefix of the variables that set keys.</summary>
    public const string Prefix = "BACKPROP__";

    /// <summary>The variable naming a configuration file.</summary>
    public const string ConfigFileVariable = "BACKPROP_CONFIG";

    /// <summary>The keys the environment sets, in a stable order (by variable name).</summary>
    /// <param name="environment">The variables, as <see cref="Environment.GetEnvironmentVariables()"/> returns them.</param>
    /// <returns>Dotted keys and their value text.</returns>
    /// <exception cref="InvalidSettingException">A variable with the prefix does not spell a key.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var keys = new List<KeyValuePair<string, string>>();
        foreach (var name in environment.Keys.OfType<string>().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string key = KeyOf(name), value = environment[name] as string ?? string.Empty;
            if (value.Length == 0)
            {
                // Empty is unset: compose files pass variables through that the user may not have set.
                continue;
            }

            try
            {
                ConfigSource.FromOverride(key, value);
            }
            catch (InvalidSettingException e)
            {
                throw new InvalidSettingException(name, e.Message);
            }

            keys.Add(new(key, value));
        }

        return keys;
    }

    /// <summary>The configuration file the environment names, or null.</summary>
    /// <param name="environment">The variables.</param>
    public static string? ConfigFile(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment[ConfigFileVariable] is string { Length: > 0 } path ? path : null;
    }

    /// <summary>The dotted key a variable sets: <c>BACKPROP__CLUSTER__MIN_WORKERS</c> → <c>backprop.cluster.min-workers</c>.</summary>
    /// <param name="variable">The variable's name, with the prefix.</param>
    /// <exception cref="InvalidSettingException">The name has an empty part.</exception>
    public static string KeyOf(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var parts = variable[Prefix.Length..].Split("__");
        if (parts.Any(p => p.Length == 0 || p.StartsWith('_') || p.EndsWith('_')))
        {
            throw new InvalidSettingException(variable, $"is not a setting variable; expected {Prefix}SECTION__KEY with a double underscore between the parts, e.g. {Prefix}TRAINING__EPOCHS.");
        }

        return "backprop." + string.Join('.', parts.Select(p => p.ToLowerInvariant().Replace('_', '-')));
    }
}
