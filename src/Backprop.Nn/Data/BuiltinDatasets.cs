namespace Backprop.Nn.Data;

/// <summary>
/// Datasets shipped inside this assembly, so <c>backprop train</c> works with no download
/// (sources, licences and checksums: <c>Data/Builtin/README.md</c>).
/// </summary>
public static class BuiltinDatasets
{
    /// <summary>The prefix of a builtin dataset in <c>backprop.data.path</c>.</summary>
    public const string Prefix = "builtin:";

    /// <summary>The first 4000 training and 1000 test images of Fashion-MNIST, 28×28, ten classes.</summary>
    public const string FashionMnistSmall = "fashion-mnist-small";

    /// <summary>The diabetes regression table: 442 patients, 10 features, target <c>progression</c>; no test file.</summary>
    public const string Diabetes = "diabetes";

    private const string ResourcePrefix = "Backprop.Nn.Data.Builtin.";

    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly([FashionMnistSmall, Diabetes]);

    /// <summary>Loads a builtin dataset; features are raw (pixels 0..255, table values as published).</summary>
    /// <param name="name">One of <see cref="Names"/>, with or without the <c>builtin:</c> prefix.</param>
    /// <returns>The training data, and the test data when the dataset has a test file.</returns>
    /// <exception cref="ArgumentException">The name is not a builtin dataset; the message lists those there are.</exception>
    public static LoadedData Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string bare = name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? name[Prefix.Length..] : name;
        return bare switch
        {
            FashionMnistSmall => new LoadedData(
                LoadIdx(FashionMnistSmall, "train"), LoadIdx(FashionMnistSmall, "t10k")),
            Diabetes => new LoadedData(LoadDiabetes(), null),
            _ => throw new ArgumentException(
                $"There is no builtin dataset \"{bare}\"; expected one of: {string.Join(", ", Names.Select(n => Prefix + n))}.",
                nameof(name)),
        };
    }

    private static Dataset LoadIdx(string name, string part)
    {
        string source = $"{Prefix}{name}/{part}";
        using var images = Open($"{name}-{part}-images-idx3-ubyte.gz");
        using var labels = Open($"{name}-{part}-labels-idx1-ubyte.gz");
        return IdxReader.Read(images, source, labels, source + " labels", ClassNames.FashionMnist);
    }

    private static Dataset LoadDiabetes()
    {
        using var stream = Open("diabetes.csv");
        var table = CsvReader.Read(stream, Prefix + Diabetes);
        return CsvDatasetReader.Read(table, "progression", TaskKind.Regression);
    }

    private static Stream Open(string file) =>
        typeof(BuiltinDatasets).Assembly.GetManifestResourceStream(ResourcePrefix + file)
        ?? throw new InvalidOperationException(
            $"The resource {ResourcePrefix + file} is missing from {typeof(BuiltinDatasets).Assembly.GetName().Name}: the build is broken.");
}
