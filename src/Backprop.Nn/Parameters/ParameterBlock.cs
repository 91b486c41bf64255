namespace Backprop.Nn.Parameters;

/// <summary>One tensor of a model as a view into the flat parameter buffer.</summary>
/// <param name="Name">A stable name, e.g. <c>layers.0.weight</c>.</param>
/// <param name="Offset">First element in the flat buffer.</param>
/// <param name="Rows">Rows (inputs of a weight matrix; 1 for a bias).</param>
/// <param name="Columns">Columns (outputs of the layer).</param>
public sealed record ParameterBlock(string Name, int Offset, int Rows, int Columns)
{
    /// <summary>Elements in the block.</summary>
    public int Length => Rows * Columns;

    /// <summary>One past the last element.</summary>
    public int End => Offset + Length;

    /// <summary>This block of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">A buffer laid out like the parameters (parameters, gradients, optimiser state).</param>
    public Span<float> Of(Span<float> buffer) => buffer.Slice(Offset, Length);

    /// <summary>This block of <paramref name="buffer"/>, read-only.</summary>
    /// <param name="buffer">A buffer laid out like the parameters.</param>
    public ReadOnlySpan<float> Of(ReadOnlySpan<float> buffer) => buffer.Slice(Offset, Length);
}
