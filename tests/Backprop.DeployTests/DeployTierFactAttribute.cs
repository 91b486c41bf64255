namespace Backprop.DeployTests;

/// <summary>
/// A test of the deployment tier (Docker, network namespaces, mounts): it needs root and tools a plain
/// <c>dotnet test</c> machine may lack, so it runs only where <c>BACKPROP_DEPLOY_TESTS=1</c> is set
/// (test.sh sets it after installing Docker) and says why it skipped otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DeployTierFactAttribute : FactAttribute
{
    /// <summary>The variable that turns the tier on.</summary>
    public const string Variable = "BACKPROP_DEPLOY_TESTS";

    /// <summary>
    /// The tier's tests share one collection so they run one at a time: each loads both cores, and
    /// the namespace test's step times are only worth printing on an otherwise quiet machine.
    /// </summary>
    public const string Collection = "deployment tier";

    /// <summary>A deployment-tier test, skipped unless the tier is on.</summary>
    public DeployTierFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"the deployment tier (Docker, network namespaces, mounts) runs with {Variable}=1, as test.sh sets it once Docker is installed";
        }
    }
}
