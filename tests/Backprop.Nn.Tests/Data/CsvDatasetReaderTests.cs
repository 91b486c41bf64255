using Backprop.Nn.Data;

namespace Backprop.Nn.Tests.Data;

public sealed class CsvDatasetReaderTests : IDisposable
{
    private const string Iris =
        "\"sepal length\",\"petal width\",species\n" +
        "5.1,0.2,setosa\n" +
        "7.0,1.4,versicolor\n" +
        "6.3,2.5,virginica\n" +
        "4.9,0.2,setosa\n";

    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Csv_dataset_should_read_string_classes_sorted_ordinally()
    {
        var data = Read("virginica\nsetosa\nVersicolor\nsetosa\n");

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(["Versicolor", "setosa", "virginica"], data.ClassNames);
        Assert.Equal([2, 1, 0, 1], data.Labels);
        Assert.Equal(["x"], data.FeatureNames);
    }

    [Fact]
    public void Csv_dataset_should_take_the_last_column_as_target_and_keep_header_names_as_features()
    {
        var data = CsvDatasetReader.Read(Table(Iris, "iris.csv"));

        Assert.Equal(["sepal length", "petal width"], data.FeatureNames);
        Assert.Equal(["setosa", "versicolor", "virginica"], data.ClassNames);
        Assert.Equal([0, 1, 2, 0], data.Labels);
        Assert.Equal([5.1f, 0.2f, 7.0f, 1.4f, 6.3f, 2.5f, 4.9f, 0.2f], data.Features);
        Assert.Equal(_folder.File("iris.csv"), data.Source);
    }

    [Fact]
    public void Csv_dataset_should_prefer_a_column_named_label_in_any_case()
    {
        var data = CsvDatasetReader.Read(Table("LABEL,a,b\ncat,1,2\ndog,3,4\n", "label.csv"));

        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(["cat", "dog"], data.ClassNames);
    }

    [Fact]
    public void Csv_dataset_should_take_the_target_column_the_caller_names()
    {
        var data = CsvDatasetReader.Read(Table("a,Price,b\n1,3.5,2\n4,6,5\n", "prices.csv"), target: "price");

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal([1f, 2, 4, 5], data.Features);
        Assert.Equal([3.5f, 6f], data.Targets);
    }

    [Fact]
    public void Csv_dataset_should_name_the_columns_when_the_target_column_is_absent()
    {
        var error = Assert.Throws<DataFormatException>(
            () => CsvDatasetReader.Read(Table(Iris, "iris.csv"), target: "class"));

        Assert.Contains("there is no column \"class\" for the target", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"sepal length\", \"petal width\", \"species\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_read_few_integer_targets_as_classes_sorted_numerically_named_as_written()
    {
        var data = Read("10\n2\n-1\n2\n+10\n");

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(["-1", "2", "10"], data.ClassNames);
        Assert.Equal([2, 1, 0, 1, 2], data.Labels);
    }

    [Fact]
    public void Csv_dataset_should_read_fractional_targets_as_regression()
    {
        var data = Read("1.5\n2\n-3e-1\n");

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(1, data.TargetCount);
        Assert.Equal([1.5f, 2f, -0.3f], data.Targets);
        Assert.Empty(data.Labels);
        Assert.Equal(0, data.ClassCount);
    }

    [Fact]
    public void Csv_dataset_should_read_more_integer_values_than_max_classes_as_regression()
    {
        var table = Table("x,y\n1,1\n2,2\n3,3\n4,4\n", "many.csv");

        Assert.Equal(TaskKind.Classification, CsvDatasetReader.Read(table, maxClasses: 4).Task);
        Assert.Equal(TaskKind.Regression, CsvDatasetReader.Read(table, maxClasses: 3).Task);
    }

    [Fact]
    public void Csv_dataset_should_obey_a_forced_task()
    {
        var table = Table("x,y\n1,1\n2,0.5\n3,1\n", "forced.csv");

        var classes = CsvDatasetReader.Read(table, task: TaskKind.Classification);
        var integers = CsvDatasetReader.Read(Table("x,y\n1,1\n2,0\n", "ints.csv"), task: TaskKind.Regression);

        Assert.Equal(["0.5", "1"], classes.ClassNames);
        Assert.Equal([1, 0, 1], classes.Labels);
        Assert.Equal(TaskKind.Regression, integers.Task);
        Assert.Equal([1f, 0f], integers.Targets);
    }

    [Fact]
    public void Csv_dataset_should_reject_text_as_a_regression_target_naming_the_line()
    {
        var error = Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(
            Table("x,y\n1,2\n3,high\n", "forced.csv"), task: TaskKind.Regression));

        Assert.Equal("line 3, column \"y\"", error.Location);
        Assert.Contains("\"high\" is not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_accept_exponents_and_surrounding_spaces_in_numbers()
    {
        var data = Read("a\n", x: ["1e-3", " -2.5E+2 ", "7"]);

        Assert.Equal([0.001f, -250f, 7f], data.Features);
    }

    [Fact]
    public void Csv_dataset_should_reject_a_non_number_naming_line_column_and_text()
    {
        var error = Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(
            Table("\"sepal length\",\"petal width\",species\n5.1,0.2,setosa\n7.0,wide,versicolor\n", "iris.csv")));

        Assert.Equal(_folder.File("iris.csv"), error.FilePath);
        Assert.Equal("line 3, column \"petal width\"", error.Location);
        Assert.Contains($"{_folder.File("iris.csv")}, line 3, column \"petal width\": \"wide\" is not a number; expected a finite number", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "an empty field")]
    [InlineData("NA", "\"NA\"")]
    [InlineData("nan", "\"nan\"")]
    [InlineData("?", "\"?\"")]
    public void Csv_dataset_should_reject_missing_values_saying_they_are_missing(string missing, string shown)
    {
        var error = Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(
            Table($"a,b,label\n1,2,x\n3,{missing},y\n", "holes.csv")));

        Assert.Equal("line 3, column \"b\"", error.Location);
        Assert.Contains($"missing value ({shown})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_reject_a_missing_class_label()
    {
        var error = Assert.Throws<DataFormatException>(() => Read("cat\nNA\n"));

        Assert.Equal("line 3, column \"y\"", error.Location);
        Assert.Contains("missing value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_hint_at_decimal_commas()
    {
        var error = Assert.Throws<DataFormatException>(() => CsvDatasetReader.Read(
            Table("a;b;label\n1,5;2;x\n", "european.csv")));

        Assert.Contains("Decimal commas are not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_reject_values_beyond_float_range()
    {
        var error = Assert.Throws<DataFormatException>(() => Read("a\n", x: ["1e39"]));

        Assert.Contains("outside the range of a 32-bit float", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_read_a_test_file_with_reordered_columns_against_the_training_data()
    {
        var train = CsvDatasetReader.Read(Table(Iris, "train.csv"));
        var table = Table("species,\"petal width\",\"sepal length\"\nvirginica,2.0,6.0\nsetosa,0.3,5.0\n", "test.csv");

        var test = CsvDatasetReader.ReadLike(table, train);

        Assert.Equal(_folder.File("test.csv"), test.Source);
        Assert.Equal(train.FeatureNames, test.FeatureNames);
        Assert.Equal([6.0f, 2.0f, 5.0f, 0.3f], test.Features);
        Assert.Equal(train.ClassNames, test.ClassNames);
        Assert.Equal([2, 0], test.Labels);
    }

    [Fact]
    public void Csv_dataset_should_reject_a_test_class_unseen_in_training_naming_line_and_class()
    {
        var train = CsvDatasetReader.Read(Table(Iris, "train.csv"));
        var table = Table("\"sepal length\",\"petal width\",species\n5,1,setosa\n6,2,iris-nova\n", "test.csv");

        var error = Assert.Throws<DataFormatException>(() => CsvDatasetReader.ReadLike(table, train));

        Assert.Equal("line 3, column \"species\"", error.Location);
        Assert.Contains("class \"iris-nova\" was not in the training data; expected one of its 3 classes: setosa, versicolor, virginica", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_match_numeric_test_classes_by_value()
    {
        var train = Read("1\n2\n1\n");
        var test = CsvDatasetReader.ReadLike(Table("x,y\n0,2.0\n0,1\n", "test.csv"), train);

        Assert.Equal([1, 0], test.Labels);
    }

    [Fact]
    public void Csv_dataset_should_reject_extra_and_missing_columns_in_a_test_file()
    {
        var train = CsvDatasetReader.Read(Table(Iris, "train.csv"));

        var extra = Assert.Throws<DataFormatException>(() => CsvDatasetReader.ReadLike(
            Table("\"sepal length\",\"petal width\",colour,species\n5,1,red,setosa\n", "extra.csv"), train));
        var missing = Assert.Throws<DataFormatException>(() => CsvDatasetReader.ReadLike(
            Table("\"sepal length\",species\n5,setosa\n", "missing.csv"), train));

        Assert.Contains("has columns \"colour\", \"species\" that the training data does not", extra.Message, StringComparison.Ordinal);
        Assert.Contains("the header lacks the feature column \"petal width\"", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_take_a_named_target_in_a_test_file_and_reject_the_rest()
    {
        var train = CsvDatasetReader.Read(Table(Iris, "train.csv"), target: "species");
        var table = Table("\"sepal length\",\"petal width\",colour,species\n5,1,red,setosa\n", "extra.csv");

        var error = Assert.Throws<DataFormatException>(() => CsvDatasetReader.ReadLike(table, train, target: "species"));

        Assert.Contains("has column \"colour\" that the training data does not", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_dataset_should_read_prediction_features_by_name_ignoring_one_target_column()
    {
        var table = Table("species,b,a\nx,2,1\ny,4,3\n", "predict.csv");

        Assert.Equal([1f, 2, 3, 4], CsvDatasetReader.ReadFeatures(table, ["a", "b"]));
        var error = Assert.Throws<DataFormatException>(() => CsvDatasetReader.ReadFeatures(table, ["a"]));
        Assert.Contains("columns \"species\", \"b\" that the model does not use", error.Message, StringComparison.Ordinal);
    }

    private Dataset Read(string targetLines, string[]? x = null)
    {
        var targets = targetLines.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        x ??= targets.Select((_, i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (targets.Length < x.Length)
        {
            targets = x.Select(_ => targets[0]).ToArray();
        }

        string text = "x,y\n" + string.Concat(x.Zip(targets, (a, b) => $"{a},{b}\n"));
        return CsvDatasetReader.Read(Table(text, "table.csv"));
    }

    /// <summary>Writes the text to a file in the scratch folder and parses it back.</summary>
    private CsvTable Table(string text, string name) => CsvReader.Read(_folder.WriteText(name, text));
}
