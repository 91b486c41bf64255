using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Nn.Checkpoints;

/// <summary>
/// A model or checkpoint file, loaded whole and verified (structure, checksum, kind) before anyone sees it;
/// get one from <see cref="CheckpointFile.Read"/> or <see cref="CheckpointFile.Parse"/>. Asking for a section
/// that is not there, or reading one as the wrong type, throws <see cref="CheckpointFormatException"/> naming
/// the section and the file.
/// </summary>
public sealed class CheckpointReader
{
    private readonly Dictionary<string, byte[]> _sections;

    internal CheckpointReader(string sourceName, string kind, int formatVersion, List<string> names, Dictionary<string, byte[]> sections)
    {
        SourceName = sourceName;
        Kind = kind;
        FormatVersion = formatVersion;
        SectionNames = names.AsReadOnly();
        _sections = sections;
    }

    /// <summary>The path of the file, or the name given for in-memory bytes.</summary>
    public string SourceName { get; }

    /// <summary>What the writer declared the file to be, e.g. <see cref="CheckpointKind.Model"/>.</summary>
    public string Kind { get; }

    /// <summary>The format version the file was written in.</summary>
    public int FormatVersion { get; }

    /// <summary>The sections, in the order they were written.</summary>
    public IReadOnlyList<string> SectionNames { get; }

    /// <summary>Whether the file has a section named <paramref name="name"/>.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>True when it has.</returns>
    public bool Has(string name) => _sections.ContainsKey(name);

    /// <summary>The raw bytes of a section, without a copy.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>The bytes as written.</returns>
    public ReadOnlySpan<byte> Bytes(string name) => Section(name);

    /// <summary>A section written with <see cref="CheckpointWriter.AddFloats"/>, as a new array.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>The values.</returns>
    public float[] Floats(string name) => Values<float>(name, "float");

    /// <summary>
    /// Copies a float section into <paramref name="destination"/>, which must be exactly as long: loading
    /// parameters straight into an existing buffer without a second copy of the model.
    /// </summary>
    /// <param name="name">The section's name.</param>
    /// <param name="destination">Where the values go.</param>
    public void CopyFloats(string name, Span<float> destination)
    {
        ReadOnlySpan<float> values = MemoryMarshal.Cast<byte, float>(Section(name, sizeof(float), "float"));
        if (values.Length != destination.Length)
        {
            throw new CheckpointFormatException(
                SourceName,
                $"Section '{name}' of '{SourceName}' holds {values.Length} floats, but the destination has room for {destination.Length}: " +
                "the file was written for a different model.");
        }

        values.CopyTo(destination);
    }

    /// <summary>A section written with <see cref="CheckpointWriter.AddDoubles"/>, as a new array.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>The values.</returns>
    public double[] Doubles(string name) => Values<double>(name, "double");

    /// <summary>A section written with <see cref="CheckpointWriter.AddInt32s"/>, as a new array.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>The values.</returns>
    public int[] Int32s(string name) => Values<int>(name, "32-bit integer");

    /// <summary>A section written with <see cref="CheckpointWriter.AddInt64"/>.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>The value.</returns>
    [SuppressMessage("Naming", "CA1720", Justification = "Named for the type it reads, as CheckpointWriter.AddInt64 is for the type it writes.")]
    public long Int64(string name)
    {
        byte[] bytes = Section(name);
        if (bytes.Length != sizeof(long))
        {
            throw new CheckpointFormatException(
                SourceName, $"Section '{name}' of '{SourceName}' holds {bytes.Length} bytes, not the 8 of one 64-bit integer.");
        }

        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    /// <summary>A section written with <see cref="CheckpointWriter.AddString"/>.</summary>
    /// <param name="name">The section's name.</param>
    /// <returns>The text.</returns>
    [SuppressMessage("Naming", "CA1720", Justification = "Named for the type it reads, as CheckpointWriter.AddString is for the type it writes.")]
    public string String(string name)
    {
        try
        {
            return CheckpointFormat.Utf8.GetString(Section(name));
        }
        catch (DecoderFallbackException)
        {
            throw new CheckpointFormatException(SourceName, $"Section '{name}' of '{SourceName}' is not valid UTF-8 text.");
        }
    }

    private T[] Values<T>(string name, string typeName)
        where T : unmanaged
    {
        return MemoryMarshal.Cast<byte, T>(Section(name, Unsafe.SizeOf<T>(), typeName)).ToArray();
    }

    private byte[] Section(string name, int elementSize, string typeName)
    {
        byte[] bytes = Section(name);
        if (bytes.Length % elementSize != 0)
        {
            throw new CheckpointFormatException(
                SourceName,
                $"Section '{name}' of '{SourceName}' holds {bytes.Length} bytes, not a whole number of {elementSize}-byte {typeName} values.");
        }

        return bytes;
    }

    private byte[] Section(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_sections.TryGetValue(name, out byte[]? bytes))
        {
            throw new CheckpointFormatException(
                SourceName,
                $"'{SourceName}' has no section '{name}'. " +
                (SectionNames.Count == 0 ? "It has no sections at all." : $"Its sections are: {string.Join(", ", SectionNames)}."));
        }

        return bytes;
    }
}
