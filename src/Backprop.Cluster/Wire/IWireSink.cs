namespace Backprop.Cluster.Wire;

/// <summary>
/// Where a contract writes its fields: the MessagePack output (<see cref="MessagePackSink"/>) or a
/// byte counter (<see cref="WireSizeCounter"/>). Each contract describes its layout once, against
/// this interface, so the measured size and the written bytes cannot disagree.
/// </summary>
internal interface IWireSink
{
    /// <summary>Starts a contract or nested value of <paramref name="count"/> fields.</summary>
    /// <param name="count">Fields that follow.</param>
    void WriteArrayHeader(int count);

    /// <summary>Writes a signed integer in its smallest MessagePack encoding.</summary>
    /// <param name="value">The value.</param>
    void Write(long value);

    /// <summary>Writes an unsigned integer in its smallest MessagePack encoding.</summary>
    /// <param name="value">The value.</param>
    void Write(ulong value);

    /// <summary>Writes a boolean.</summary>
    /// <param name="value">The value.</param>
    void Write(bool value);

    /// <summary>Writes a float64.</summary>
    /// <param name="value">The value.</param>
    void Write(double value);

    /// <summary>Writes a non-null string as MessagePack <c>str</c>, UTF-8.</summary>
    /// <param name="value">The value; null is a caller bug and throws.</param>
    void Write(string value);

    /// <summary>Writes float32 values as one <c>bin</c> field of raw little-endian bytes.</summary>
    /// <param name="values">The values.</param>
    void WriteFloats(ReadOnlySpan<float> values);

    /// <summary>Writes float32 values as one <c>bin</c> of their bfloat16 bits, 2 bytes each, little-endian, rounded on the way.</summary>
    /// <param name="values">The values.</param>
    void WriteBFloat16(ReadOnlySpan<float> values);

    /// <summary>Writes float32 values as one <c>bin</c> of IEEE halves, 2 bytes each, little-endian, rounded on the way.</summary>
    /// <param name="values">The values.</param>
    void WriteFloat16(ReadOnlySpan<float> values);

    /// <summary>Writes <c>values[indices[j]]</c> for every j as one <c>bin</c> of float32, little-endian.</summary>
    /// <param name="values">The values to pick from.</param>
    /// <param name="indices">Positions in <paramref name="values"/>, already checked.</param>
    void WriteGathered(ReadOnlySpan<float> values, ReadOnlySpan<int> indices);

    /// <summary>Writes int32 values as one <c>bin</c> of raw little-endian bytes.</summary>
    /// <param name="values">The values.</param>
    void WriteInt32s(ReadOnlySpan<int> values);
}
