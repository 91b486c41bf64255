namespace Backprop.Nn.Data;

/// <summary>The images of an IDX images file (magic 0x00000803): 8-bit pixels, one row-major image after another.</summary>
public sealed class IdxImages
{
    internal IdxImages(string source, int count, int rows, int columns, byte[] pixels)
    {
        Source = source;
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>The file the images came from.</summary>
    public string Source { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Pixel rows per image.</summary>
    public int Rows { get; }

    /// <summary>Pixel columns per image.</summary>
    public int Columns { get; }

    /// <summary>Pixels per image: <see cref="Rows"/>×<see cref="Columns"/>.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>Count×Rows×Columns pixel values 0..255, as stored in the file; treat as read-only.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixels as features: raw values 0..255 in float, Count×<see cref="PixelsPerImage"/> row-major.</summary>
    public float[] ToFeatures()
    {
        var features = new float[Pixels.Length];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = Pixels[i];
        }

        return features;
    }
}
