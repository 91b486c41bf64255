using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Configuration;

/// <summary>
/// Structural equality of settings: the records compare their <c>Layers</c> list by reference, so the layers
/// are compared element by element and the rest with the list set aside.
/// </summary>
internal static class SettingsAssert
{
    private static readonly IReadOnlyList<LayerSettings> NoLayers = [];

    public static void Equal(BackpropSettings expected, BackpropSettings actual)
    {
        Assert.Equal(expected.Model.Layers, actual.Model.Layers);
        Assert.Equal(WithoutLayers(expected), WithoutLayers(actual));
    }

    private static BackpropSettings WithoutLayers(BackpropSettings settings) =>
        settings with { Model = settings.Model with { Layers = NoLayers } };
}
