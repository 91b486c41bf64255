using Backprop.Cluster.Configuration;
using Backprop.Cluster.Settings;
using Backprop.Nn.Settings;

namespace Backprop.DeployTests.Kubernetes;

/// <summary>HOCON text read as the program reads its --config file, so a manifest's configuration is held to the product's rules.</summary>
internal static class ProductConfiguration
{
    /// <summary>Reads <paramref name="hocon"/> as a configuration file under the given overrides, validating every key.</summary>
    /// <exception cref="InvalidSettingException">A key is unknown or a value is wrong.</exception>
    public static (BackpropSettings Settings, ClusterSettings Cluster) Read(string hocon, IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        // The reader takes a file path, as --config does.
        var file = Path.Combine(Path.GetTempPath(), $"backprop-k8s-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, hocon);
        try
        {
            var config = SettingsReader.LoadConfig(file, overrides);
            return (SettingsReader.Read(config), ClusterSettings.Create(config));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
