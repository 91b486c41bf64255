using System.Text;

namespace Backprop.Cluster.Wire;

/// <summary>The text encoding of the wire: UTF-8 that throws on invalid input rather than guessing.</summary>
internal static class WireText
{
    /// <summary>
    /// UTF-8 without a byte-order mark that throws on lone surrogates (sender) and invalid bytes
    /// (receiver): a corrupted name should fail the message, not arrive as U+FFFD.
    /// </summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
