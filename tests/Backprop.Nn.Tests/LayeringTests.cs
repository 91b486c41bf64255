using Backprop.Nn.Models;

namespace Backprop.Nn.Tests;

public sealed class LayeringTests
{
    [Fact]
    public void Nn_should_depend_only_on_Numerics_and_never_on_Akka()
    {
        var references = typeof(Network).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Backprop.Numerics", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Akka", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name is "Backprop.Cluster" or "backprop");
    }
}
