using System.Globalization;

namespace Backprop.Nn.Data;

/// <summary>
/// Reads MNIST-style IDX files (images 0x00000803, labels 0x00000801), raw or gzip-compressed
/// (detected by the 1F 8B magic, not the file name). Malformed files give a <see cref="DataFormatException"/>
/// naming the file, the byte and what was expected.
/// </summary>
public static class IdxReader
{
    /// <summary>Prefix of the feature names of image data: <c>pixel0</c>, <c>pixel1</c>, ...</summary>
    public const string PixelFeaturePrefix = "pixel";

    /// <summary>Reads an images file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DataFormatException">The file is not a valid IDX images file.</exception>
    public static IdxImages ReadImages(string path)
    {
        using var stream = OpenRead(path);
        return ReadImages(stream, path);
    }

    /// <summary>Reads an images file from a stream, which stays open.</summary>
    /// <param name="stream">The file's bytes from the start.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <exception cref="DataFormatException">The data is not a valid IDX images file.</exception>
    public static IdxImages ReadImages(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var file = IdxFile.Read(stream, source, 3);
        return new IdxImages(source, file.Dimensions[0], file.Dimensions[1], file.Dimensions[2], file.Data);
    }

    /// <summary>Reads a labels file: one byte per label.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DataFormatException">The file is not a valid IDX labels file.</exception>
    public static byte[] ReadLabels(string path)
    {
        using var stream = OpenRead(path);
        return ReadLabels(stream, path);
    }

    /// <summary>Reads a labels file from a stream, which stays open.</summary>
    /// <param name="stream">The file's bytes from the start.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <exception cref="DataFormatException">The data is not a valid IDX labels file.</exception>
    public static byte[] ReadLabels(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return IdxFile.Read(stream, source, 1).Data;
    }

    /// <summary>Reads an images file and its labels file as a classification dataset of raw pixels (0..255).</summary>
    /// <param name="imagesPath">The images file.</param>
    /// <param name="labelsPath">The labels file, one label per image.</param>
    /// <param name="classNames">Class names to use (e.g. <see cref="ClassNames.FashionMnist"/>); null names the
    /// classes "0".. up to the largest label.</param>
    /// <exception cref="DataFormatException">A file is malformed, the counts differ, or a label has no class name.</exception>
    public static Dataset Read(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null) =>
        ToDataset(ReadImages(imagesPath), ReadLabels(labelsPath), labelsPath, classNames);

    /// <summary>Reads images and labels from streams, which stay open, as a classification dataset of raw pixels.</summary>
    /// <param name="images">The images file's bytes.</param>
    /// <param name="imagesSource">The images file's name, for messages; also the dataset's <see cref="Dataset.Source"/>.</param>
    /// <param name="labels">The labels file's bytes.</param>
    /// <param name="labelsSource">The labels file's name, for messages.</param>
    /// <param name="classNames">Class names to use; null names the classes "0".. up to the largest label.</param>
    /// <exception cref="DataFormatException">A file is malformed, the counts differ, or a label has no class name.</exception>
    public static Dataset Read(
        Stream images, string imagesSource, Stream labels, string labelsSource, IReadOnlyList<string>? classNames = null) =>
        ToDataset(ReadImages(images, imagesSource), ReadLabels(labels, labelsSource), labelsSource, classNames);

    /// <summary>Feature names <c>pixel0</c>..<c>pixel{count − 1}</c>.</summary>
    /// <param name="count">Pixels per image.</param>
    public static IReadOnlyList<string> PixelNames(int count)
    {
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = PixelFeaturePrefix + i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static Dataset ToDataset(IdxImages images, byte[] labels, string labelsSource, IReadOnlyList<string>? classNames)
    {
        if (labels.Length != images.Count)
        {
            throw new DataFormatException(labelsSource, "byte 4",
                $"the labels file has {labels.Length} labels but the images file {images.Source} has {images.Count} images; " +
                "expected one label per image.");
        }

        int maxLabel = labels.Length == 0 ? 0 : labels.Max();
        classNames ??= ClassNames.Numbered(maxLabel + 1);
        var classes = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classNames.Count)
            {
                throw new DataFormatException(labelsSource, $"label {i} (byte {IdxFile.HeaderLength(1) + i})",
                    $"label {labels[i]} has no class; expected 0 to {classNames.Count - 1} " +
                    $"({classNames.Count} classes: {string.Join(", ", classNames)}).");
            }

            classes[i] = labels[i];
        }

        return Dataset.Classification(
            images.Source, images.ToFeatures(), images.PixelsPerImage, PixelNames(images.PixelsPerImage), classes, classNames);
    }

    private static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file; expected an IDX file (raw or .gz).", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }
}
