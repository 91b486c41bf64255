using Backprop.Numerics.Gemm;

namespace Backprop.Numerics.Tests;

public sealed class LayeringTests
{
    [Fact]
    public void Numerics_should_depend_on_nothing_but_the_runtime_and_System_Numerics_Tensors()
    {
        var references = typeof(GemmEngine).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Backprop.", StringComparison.Ordinal));
        Assert.All(references, name => Assert.True(
            name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "netstandard" or "mscorlib",
            $"Backprop.Numerics references {name}"));
    }
}
