using Backprop.Cluster.Configuration;
using Backprop.Nn.Settings;

namespace Backprop.Cluster.Tests.Configuration;

public sealed class SettingsReaderErrorTests
{
    private static readonly KeyValuePair<string, string>[] NoOverrides = [];

    [Fact]
    public void Reader_should_name_the_file_when_it_is_not_found()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid(), "job.conf");

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(missing, NoOverrides));

        Assert.Equal(missing, error.KeyPath);
        Assert.Equal($"{missing}: configuration file not found.", error.Message);
    }

    [Fact]
    public void Reader_should_say_so_when_the_file_is_a_folder()
    {
        using var file = new TempConfig("");

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Folder, NoOverrides));

        Assert.Equal($"{file.Folder}: is a folder, not a configuration file.", error.Message);
    }

    [Theory]
    [InlineData("backprop {\n  training {\n    epochs = 3\n  }\n", "syntax error on line 1: this '{' is never closed by a '}'.")]
    [InlineData("backprop {\n  model.layers = [\n    { units = 3 }\n  }\n}\n", "syntax error on line 4: this '}' does not match the '[' opened on line 2; expected ']'.")]
    [InlineData("backprop {\n  training.epochs = 3\n}\n}\n", "syntax error on line 4: this '}' closes nothing; is there one too many?")]
    [InlineData("backprop {\n  data.path = \"/data/x.csv\n}\n", "syntax error on line 2: quoted text must end with '\"' on the line it starts on.")]
    [InlineData("backprop {\n  # a comment\n  data.path = builtin:diabetes\n}\n", "syntax error on line 3: a value containing ':' or '=' must be in double quotes, as in path = \"builtin:diabetes\".")]
    [InlineData("backprop {\n  training {\n    epochs = @\n  }\n}\n", "syntax error on line 3: unexpected '@'.")]
    [InlineData("backprop.model.layers = [\n  { units = 8, activation  relu }\n]\n", "syntax error on line 2: 'activation  relu' needs '=' and a value after it.")]
    [InlineData("backprop.model.layers = [\n  { units = 8  activation = relu }\n]\n", "syntax error on line 2: two settings on one line need a ',' between them.")]
    [InlineData("backprop.model.layers = [\n  = { units = 8 }\n]\n", "syntax error on line 2: this '=' cannot stand in a list, which holds values separated by ',' such as [1, 2] or [{ units = 64 }]; text containing it must be in double quotes.")]
    [InlineData("backprop.model.layers = [\n  { units = 8, activation == relu }\n]\n", "syntax error on line 2: a value containing ':' or '=' must be in double quotes, as in path = \"builtin:diabetes\".")]
    [InlineData("backprop {\n  training.epochs. = 3\n}\n", "syntax error on line 2: 'training.epochs.' is not a key: a dot stands between two names, as in training.epochs.")]
    [InlineData("backprop {\n  training.epochs = ${ epochs }\n}\n", "syntax error on line 2: a substitution is written ${key.path}.")]
    [InlineData("backprop {\n  training {\n    { epochs = 3 }\n  }\n}\n", "syntax error on line 3: this '{' needs a key before it.")]
    [InlineData("backprop.data.test-path = \"\"\"a\nb\n", "syntax error on line 1: this \"\"\" text is never closed by another \"\"\".")]
    public void Reader_should_name_the_file_and_line_of_a_syntax_error(string hocon, string problem)
    {
        using var file = new TempConfig(hocon);

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Equal(file.Path, error.KeyPath);
        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public void Reader_should_not_be_fooled_by_brackets_in_quotes_and_comments()
    {
        using var file = new TempConfig(""""
            # a comment with { and [
            backprop.data {
              path = "/data/{weird]" // another }
              target = "\"}"
              test-path = """multi
            line ] text"""
            }
            """");

        var data = SettingsReader.Load(file.Path, NoOverrides).Data;

        Assert.Equal("/data/{weird]", data.Path);
        Assert.Equal("\"}", data.Target);
        Assert.Equal("multi\nline ] text", data.TestPath);
    }

    [Theory]
    [InlineData("backprop.training.epoch = 3", "backprop.training.epoch", "unknown key; did you mean backprop.training.epochs?")]
    [InlineData("backprop.training { batch_size = 3 }", "backprop.training.batch_size", "unknown key; did you mean backprop.training.batch-size?")]
    [InlineData("backprop.trainig.epochs = 3", "backprop.trainig", "unknown key; did you mean backprop.training?")]
    [InlineData("backprop.training.learning-rate = 0.1", "backprop.training.learning-rate", "unknown key; did you mean backprop.optimizer.learning-rate?")]
    [InlineData("backprop.training.early-stopping.patients = 3", "backprop.training.early-stopping.patients", "unknown key; did you mean backprop.training.early-stopping.patience?")]
    [InlineData("backprop.schedule.zzzzzzzz = 1", "backprop.schedule.zzzzzzzz", "unknown key; backprop.schedule has name, step-epochs, gamma, min-learning-rate, warmup-steps.")]
    [InlineData("backprop.model.layers = [{ units = 3 }, { unit = 4 }]", "backprop.model.layers[1].unit", "unknown key; did you mean backprop.model.layers[1].units?")]
    public void Reader_should_name_the_closest_key_when_a_key_is_unknown(string hocon, string keyPath, string problem)
    {
        using var file = new TempConfig(hocon);

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Equal(keyPath, error.KeyPath);
        Assert.Equal(problem, error.Problem);
        Assert.Equal($"{keyPath}: {problem}", error.Message);
    }

    [Fact]
    public void Reader_should_name_the_closest_key_when_an_override_key_is_unknown()
    {
        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(null, [new("backprop.training.epoch", "3")]));

        Assert.Equal("backprop.training.epoch: unknown key; did you mean backprop.training.epochs?", error.Message);
    }

    [Fact]
    public void Reader_should_reject_an_override_key_that_is_not_a_dotted_name()
    {
        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(null, [new("backprop.training.epochs = 3 #", "3")]));

        Assert.Equal("backprop.training.epochs = 3 #", error.KeyPath);
    }

    [Theory]
    [InlineData("backprop.training.batch-size = abc", "backprop.training.batch-size", "expected a whole number, got \"abc\".")]
    [InlineData("backprop.training.epochs = 2.5", "backprop.training.epochs", "expected a whole number, got \"2.5\".")]
    [InlineData("backprop.training.epochs = 99999999999", "backprop.training.epochs", "expected a whole number from -2147483648 to 2147483647, got \"99999999999\".")]
    [InlineData("backprop.training.seed = null", "backprop.training.seed", "expected a whole number, got null.")]
    [InlineData("backprop.optimizer.learning-rate = fast", "backprop.optimizer.learning-rate", "expected a number, got \"fast\".")]
    [InlineData("backprop.optimizer.learning-rate = NaN", "backprop.optimizer.learning-rate", "expected a number, got \"NaN\".")]
    [InlineData("backprop.training.replace-output = maybe", "backprop.training.replace-output", "expected true or false, got \"maybe\".")]
    [InlineData("backprop.data.path = { a = 1 }", "backprop.data.path", "expected text, got a section { ... }.")]
    [InlineData("backprop.data.target = [a, b]", "backprop.data.target", "expected text or null, got a list [ ... ].")]
    [InlineData("backprop.model.inputs = many", "backprop.model.inputs", "expected a whole number, got \"many\".")]
    [InlineData("backprop = 5", "backprop", "expected a section { ... }, got \"5\".")]
    [InlineData("backprop.training = 5", "backprop.training", "expected a section { ... }, got \"5\".")]
    [InlineData("backprop.training.early-stopping = null", "backprop.training.early-stopping", "expected a section { ... }, got null.")]
    [InlineData("backprop.training.epochs = ,", "backprop.training.epochs", "has no value; is something missing after the '='?")]
    public void Reader_should_name_the_key_and_the_expected_type_when_a_value_has_the_wrong_type(string hocon, string keyPath, string problem)
    {
        using var file = new TempConfig(hocon);

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Equal(keyPath, error.KeyPath);
        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public void Reader_should_report_a_wrong_type_in_an_override()
    {
        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(null, [new("backprop.training.batch-size", "abc")]));

        Assert.Equal("backprop.training.batch-size: expected a whole number, got \"abc\".", error.Message);
    }

    [Theory]
    [InlineData("backprop.optimizer.name = adamm", "backprop.optimizer.name", "unknown value \"adamm\"; expected one of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad (did you mean adam?).")]
    [InlineData("backprop.schedule.name = linear", "backprop.schedule.name", "unknown value \"linear\"; expected one of constant, step, exponential, cosine.")]
    [InlineData("backprop.data.task = clasification", "backprop.data.task", "unknown value \"clasification\"; expected one of classification, regression, auto (did you mean classification?).")]
    [InlineData("backprop.data.scaling = normalize", "backprop.data.scaling", "unknown value \"normalize\"; expected one of auto, none, standardize, minmax, divide255.")]
    [InlineData("backprop.model.loss = cross-entropy", "backprop.model.loss", "unknown value \"cross-entropy\"; expected one of softmax-cross-entropy, binary-cross-entropy, mse, auto.")]
    [InlineData("backprop.model.output-init = lecun", "backprop.model.output-init", "unknown value \"lecun\"; expected one of auto, uniform, normal, xavier-uniform, xavier-normal, he-uniform, he-normal.")]
    [InlineData("backprop.model.layers = [{ units = 3, activation = softmax }]", "backprop.model.layers[0].activation", "unknown value \"softmax\"; expected one of identity, sigmoid, tanh, relu, leaky-relu, gelu, gelu-erf.")]
    [InlineData("backprop.training.early-stopping.metric = accuracy", "backprop.training.early-stopping.metric", "unknown value \"accuracy\"; expected one of val-loss, val-accuracy.")]
    public void Reader_should_list_the_allowed_values_when_a_value_is_unknown(string hocon, string keyPath, string problem)
    {
        using var file = new TempConfig(hocon);

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Equal(keyPath, error.KeyPath);
        Assert.Equal(problem, error.Problem);
    }

    [Theory]
    [InlineData("backprop.model.layers = 128", "backprop.model.layers", "expected a list of layers such as [{ units = 128, activation = relu }], got \"128\".")]
    [InlineData("backprop.model.layers { units = 128 }", "backprop.model.layers", "expected a list of layers such as [{ units = 128, activation = relu }], got a section { ... }.")]
    [InlineData("backprop.model.layers = [{ units = 128 }, 64]", "backprop.model.layers[1]", "expected a layer such as { units = 128, activation = relu }, got \"64\".")]
    [InlineData("backprop.model.layers = [{ units = 128 }, { activation = tanh }]", "backprop.model.layers[1].units", "missing; every layer needs its number of units, as in { units = 128, activation = relu }.")]
    public void Reader_should_say_what_a_layer_list_looks_like_when_layers_is_not_one(string hocon, string keyPath, string problem)
    {
        using var file = new TempConfig(hocon);

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Equal(keyPath, error.KeyPath);
        Assert.Equal(problem, error.Problem);
    }

    [Theory]
    [InlineData("backprop.training.epochs = 0", "backprop.training.epochs: must be at least 1, got 0.")]
    [InlineData("backprop.model.layers = [{ units = 8, dropout = 1.5 }]", "backprop.model.layers[0].dropout: must be in [0, 1), got 1.5.")]
    [InlineData("backprop.training.freeze-layers = 1", "backprop.training.freeze-layers: freezing layers or replacing the output layer needs a model to start from: set backprop.training.init-from.")]
    public void Reader_should_validate_the_settings_it_read(string hocon, string message)
    {
        using var file = new TempConfig(hocon);

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("backprop.model.layers = [{ units = 4 }]\nbackprop.model.layers = ${backprop.model.layers} [{ units = 2 }]", "${backprop.model.layers} refers to itself; write the whole value out instead.")]
    [InlineData("backprop.data.path = ${?DATA}", "optional substitutions ${?NAME} are not supported; write the value, or ${key} of a key set in the same file.")]
    [InlineData("backprop.training.epochs = ${epochs}", "${epochs} refers to a key that is not set in the same file.")]
    public void Reader_should_reject_substitutions_it_cannot_resolve(string hocon, string problem)
    {
        using var file = new TempConfig(hocon);

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Equal(file.Path, error.KeyPath);
        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public void Reader_should_stop_a_file_that_includes_itself()
    {
        using var file = new TempConfig("include \"test.conf\"\nbackprop.training.epochs = 2");

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Contains("includes nest deeper than 8 files", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_name_an_included_file_that_is_missing()
    {
        using var file = new TempConfig("include \"base.conf\"");

        var error = Assert.Throws<InvalidSettingException>(() => SettingsReader.Load(file.Path, NoOverrides));

        Assert.Equal(Path.Combine(file.Folder, "base.conf"), error.KeyPath);
        Assert.Equal("configuration file not found.", error.Problem);
    }
}
