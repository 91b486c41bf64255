using System.Text;

namespace Backprop.Nn.Checkpoints;

/// <summary>The constants of the file layout documented on <see cref="CheckpointFile"/>.</summary>
internal static class CheckpointFormat
{
    /// <summary>The format version this build writes and the newest it reads.</summary>
    public const int Version = 1;

    /// <summary>
    /// Strict UTF-8: a name with a lone surrogate must be refused, not written as "?" where it could collide
    /// with another name; on read, invalid bytes mean corruption.
    /// </summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>"BPNN".</summary>
    public static ReadOnlySpan<byte> Magic => "BPNN"u8;

    /// <summary>
    /// Section data is the in-memory image of the values, so the format is only right on little-endian
    /// machines; x64 and Arm64, where this project runs, are, so refusing the rest costs nothing.
    /// </summary>
    public static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Backprop checkpoints are written and read on little-endian machines only.");
        }
    }
}
