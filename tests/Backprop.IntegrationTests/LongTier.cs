namespace Backprop.IntegrationTests;

/// <summary>
/// The long tier: process tests that kill, pause or fail over real nodes, or run for many steps, a
/// minute or more each. Plain <c>dotnet test</c> skips them (and says so) to stay a fast tier;
/// test.sh runs them in a step of their own with <c>BACKPROP_LONG_TESTS=1</c>, filtered by the
/// <c>Tier=long</c> trait that every such test also carries.
/// </summary>
internal static class LongTier
{
    /// <summary>The variable that turns the tier on.</summary>
    public const string Variable = "BACKPROP_LONG_TESTS";

    /// <summary>The trait's name and value, for <c>--filter Tier=long</c>.</summary>
    public const string Trait = "Tier";

    /// <summary>The trait's value.</summary>
    public const string Long = "long";

    /// <summary>Why a long test skipped, or null when the tier is on.</summary>
    public static string? SkipReason => Environment.GetEnvironmentVariable(Variable) == "1"
        ? null
        : $"the long tier (kills, failover, pauses, endurance: a minute or more each) runs with {Variable}=1, as test.sh sets it";
}

/// <summary>A test of the long tier, skipped unless <see cref="LongTier.Variable"/> is 1.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LongTierFactAttribute : FactAttribute
{
    /// <summary>A long-tier fact.</summary>
    public LongTierFactAttribute() => Skip = LongTier.SkipReason;
}

/// <summary>A theory of the long tier, skipped unless <see cref="LongTier.Variable"/> is 1.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LongTierTheoryAttribute : TheoryAttribute
{
    /// <summary>A long-tier theory.</summary>
    public LongTierTheoryAttribute() => Skip = LongTier.SkipReason;
}
