namespace Backprop.Onnx;

/// <summary>The ONNX versions an exported model declares.</summary>
/// <remarks>
/// Opset 13 is the oldest that has every operator the export uses in the form it uses it (Softmax over one
/// axis, ArgMax, Gemm with a broadcast bias) and IR version 7 is the one released with it (ONNX 1.8), so any
/// ONNX tool from late 2020 on reads the files: ONNX Runtime 1.6 and later, onnx 1.8 and later.
/// Nothing newer is needed, and declaring more would only lock older readers out.
/// </remarks>
public static class OnnxFormat
{
    /// <summary>The IR (file format) version written: 7.</summary>
    public const long IrVersion = 7;

    /// <summary>The version of the default ("ai.onnx") operator set the graph uses: 13.</summary>
    public const long Opset = 13;

    /// <summary>The producer name written into every model.</summary>
    public const string ProducerName = "backprop";
}
