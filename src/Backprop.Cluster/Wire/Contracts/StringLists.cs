namespace Backprop.Cluster.Wire.Contracts;

/// <summary>A list of strings on the wire: an array header, then each string.</summary>
internal static class StringLists
{
    public static void Write<TSink>(ref TSink sink, IReadOnlyList<string> values)
        where TSink : IWireSink, allows ref struct
    {
        sink.WriteArrayHeader(values.Count);
        foreach (string value in values)
        {
            sink.Write(value);
        }
    }

    /// <param name="source">The message being read.</param>
    /// <param name="field">The field's name, for the error a malformed list gets.</param>
    public static string[] Read(ref WireSource source, string field)
    {
        string[] values = new string[source.ReadArrayHeader(field)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = source.ReadString(field);
        }

        return values;
    }
}
