using SkiaSharp;

namespace Backprop.Cli.Tests;

/// <summary>PNG checks by decoding, not by looking at the signature alone.</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Whether the bytes are a PNG that decodes to a non-empty image.</summary>
    public static bool IsValid(byte[] bytes)
    {
        if (!bytes.AsSpan().StartsWith(Signature))
        {
            return false;
        }

        using var bitmap = SKBitmap.Decode(bytes);
        return bitmap is { Width: > 0, Height: > 0 };
    }

    /// <summary>The decoded image.</summary>
    public static SKBitmap Decode(string path) =>
        SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} does not decode as an image.");
}
