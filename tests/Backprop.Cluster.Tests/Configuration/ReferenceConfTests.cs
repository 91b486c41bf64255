using Backprop.Cluster.Configuration;
using Backprop.Nn.Settings;
using Backprop.Numerics.Elementwise;

namespace Backprop.Cluster.Tests.Configuration;

public sealed class ReferenceConfTests
{
    [Fact]
    public void Reference_conf_should_set_every_key_of_the_schema_and_no_other()
    {
        var config = ConfigSource.Reference();

        // backprop.cluster is read by ClusterSettings and checked by its own test.
        var paths = HoconPaths.ValuePaths(config).Where(p => !p.StartsWith("backprop.cluster.", StringComparison.Ordinal));
        Assert.Equal(KeySchema.ValuePaths().Order(StringComparer.Ordinal), paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reference_conf_should_hold_the_defaults_of_the_cluster_settings()
    {
        Assert.Equal(new Backprop.Cluster.Settings.ClusterSettings(), Backprop.Cluster.Settings.ClusterSettings.Create(ConfigSource.Reference()));
    }

    [Fact]
    public void Reference_conf_should_give_every_key_of_each_default_layer()
    {
        var layers = ConfigSource.Reference().GetValue(KeySchema.Layers).GetArray();

        Assert.Equal(new ModelSettings().Layers.Count, layers.Count);
        Assert.All(layers, layer => Assert.Equal(KeySchema.LayerKeys, layer.GetObject().Items.Keys));
    }

    [Fact]
    public void Reference_conf_should_hold_the_defaults_of_the_settings_records()
    {
        SettingsAssert.Equal(new BackpropSettings(), SettingsReader.Read(ConfigSource.Reference()));
    }

    [Fact]
    public void Reference_conf_should_comment_every_key_and_section()
    {
        string[] lines = ConfigSource.ReferenceText().Split('\n');

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            bool opensKey = line.Length > 0 && !line.StartsWith('#') && (line.Contains('=', StringComparison.Ordinal) || line.EndsWith('{'));
            bool insideList = line.StartsWith('{') || line == "]";
            if (opensKey && !insideList)
            {
                // A comment above it, or a key on the line right above (keys commented together, as beta1 and beta2).
                string above = lines[i - 1].Trim();
                string previous = lines.Take(i).Select(l => l.Trim()).Last(l => l.Length > 0);
                Assert.True(previous.StartsWith('#') || above.Contains('=', StringComparison.Ordinal), $"line {i + 1} has no comment: {line}");
            }
        }
    }

    [Fact]
    public void Every_enum_value_should_have_a_configuration_name()
    {
        AssertNamed(SettingNames.Activations);
        AssertNamed(SettingNames.Initializers);
        AssertNamed(SettingNames.Losses);
        AssertNamed(SettingNames.Optimizers);
        AssertNamed(SettingNames.Schedules);
        AssertNamed(SettingNames.Tasks);
        AssertNamed(SettingNames.Scalings);
        AssertNamed(SettingNames.Metrics);
    }

    [Theory]
    [InlineData("identity", ActivationKind.Identity)]
    [InlineData("leaky-relu", ActivationKind.LeakyRelu)]
    [InlineData("gelu", ActivationKind.Gelu)]
    [InlineData("gelu-erf", ActivationKind.GeluErf)]
    public void Activation_names_should_read_as_their_kind(string name, ActivationKind kind)
    {
        Assert.True(SettingNames.Activations.TryParse(name, out var parsed));
        Assert.Equal(kind, parsed);
    }

    [Fact]
    public void Enum_names_should_be_the_kebab_case_the_documentation_lists()
    {
        Assert.Equal(["identity", "sigmoid", "tanh", "relu", "leaky-relu", "gelu", "gelu-erf"], SettingNames.Activations.Names);
        Assert.Equal(["auto", "uniform", "normal", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal"], SettingNames.Initializers.Names);
        Assert.Equal(["softmax-cross-entropy", "binary-cross-entropy", "mse"], SettingNames.Losses.Names);
        Assert.Equal(["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad"], SettingNames.Optimizers.Names);
        Assert.Equal(["constant", "step", "exponential", "cosine"], SettingNames.Schedules.Names);
        Assert.Equal(["classification", "regression"], SettingNames.Tasks.Names);
        Assert.Equal(["auto", "none", "standardize", "minmax", "divide255"], SettingNames.Scalings.Names);
        Assert.Equal(["val-loss", "val-accuracy"], SettingNames.Metrics.Names);
    }

    private static void AssertNamed<T>(EnumSpelling<T> spelling)
        where T : struct, Enum
    {
        foreach (T value in Enum.GetValues<T>())
        {
            Assert.True(spelling.TryParse(spelling.Format(value), out T parsed));
            Assert.Equal(value, parsed);
        }
    }
}
