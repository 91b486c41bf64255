namespace Backprop.Onnx.Tests;

public sealed class LayeringTests
{
    [Fact]
    public void Onnx_should_depend_on_Nn_and_never_on_the_cluster_or_the_cli()
    {
        var references = typeof(OnnxExporter).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Backprop.Nn", references);
        Assert.Contains("Google.Protobuf", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Akka", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name is "Backprop.Cluster" or "backprop");
    }
}
