namespace Backprop.Onnx;

/// <summary>A model that cannot be written as ONNX; the message names the part (e.g. the layer) and why.</summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>An export failure with a message that says what and where.</summary>
    /// <param name="message">The reason.</param>
    public OnnxExportException(string message)
        : base(message)
    {
    }

    /// <summary>An export failure caused by <paramref name="inner"/>.</summary>
    /// <param name="message">The reason.</param>
    /// <param name="inner">The underlying error.</param>
    public OnnxExportException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>An export failure with no message; prefer the constructors that say why.</summary>
    public OnnxExportException()
    {
    }
}
