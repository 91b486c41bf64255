using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Backprop.Cluster.Tests.Configuration;

/// <summary>The keys of parsed HOCON that hold values (not sections), as full paths in the order they appear.</summary>
internal static class HoconPaths
{
    public static IEnumerable<string> ValuePaths(Config config) => ValuePaths(config.Root.GetObject(), "");

    private static IEnumerable<string> ValuePaths(HoconObject section, string prefix)
    {
        foreach (var (key, value) in section.Items)
        {
            string path = prefix + key;
            if (value.IsObject())
            {
                foreach (string inner in ValuePaths(value.GetObject(), path + "."))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
