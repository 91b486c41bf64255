using Akka.Configuration;
using Akka.Configuration.Hocon;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// Rejects substitutions that Akka's HOCON parser resolves to a value containing themselves: <c>${x}</c> used
/// inside x (appending, <c>x = ${x} [3]</c>) and <c>${?NAME}</c>, which that parser reads as a reference to the
/// whole file. Reading either value recurses until the process dies of a stack overflow, which no handler can
/// catch, so this runs before anything reads the parsed values.
/// </summary>
internal static class SubstitutionCheck
{
    /// <summary>Throws <see cref="InvalidSettingException"/> naming <paramref name="source"/> and the substitution.</summary>
    public static void Check(Config config, string source)
    {
        foreach (var substitution in config.Substitutions)
        {
            if (string.IsNullOrEmpty(substitution.Path))
            {
                throw new InvalidSettingException(
                    source,
                    "optional substitutions ${?NAME} are not supported; write the value, or ${key} of a key set in the same file.");
            }

            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            if (substitution.ResolvedValue is null || Reaches(substitution.ResolvedValue, substitution, seen))
            {
                throw new InvalidSettingException(
                    source, $"${{{substitution.Path}}} refers to itself; write the whole value out instead.");
            }
        }
    }

    private static bool Reaches(HoconValue value, HoconSubstitution target, HashSet<object> seen)
    {
        if (!seen.Add(value))
        {
            return false;
        }

        foreach (var element in value.Values)
        {
            bool found = element switch
            {
                HoconSubstitution substitution => ReferenceEquals(substitution, target)
                    || (substitution.ResolvedValue is { } resolved && Reaches(resolved, target, seen)),
                HoconObject section => section.Items.Values.Any(item => Reaches(item, target, seen)),
                HoconArray list => list.Any(item => Reaches(item, target, seen)),
                _ => false,
            };
            if (found)
            {
                return true;
            }
        }

        return false;
    }
}
