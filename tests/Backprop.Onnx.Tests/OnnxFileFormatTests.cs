using Backprop.Numerics.Elementwise;
using Backprop.Onnx.Schema;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Onnx.Tests;

/// <summary>The exported file read back: versions, names, shapes, metadata, and the errors for what cannot be exported.</summary>
public sealed class OnnxFileFormatTests
{
    [Fact]
    public void Exported_file_should_declare_ir_version_7_and_opset_13_so_older_tools_read_it()
    {
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(SyntheticModels.Classifier(Activation.Relu)));

        Assert.Equal(7, model.IrVersion);
        Assert.InRange(model.IrVersion, 3, 8);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal(string.Empty, opset.Domain);
        Assert.Equal(13, opset.Version);
        Assert.InRange(opset.Version, 13, 17);
    }

    [Fact]
    public void Exported_file_should_name_its_producer_and_describe_the_architecture()
    {
        var saved = SyntheticModels.Classifier(Activation.Relu, Activation.Tanh);
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(saved));

        Assert.Equal("backprop", model.ProducerName);
        Assert.False(string.IsNullOrWhiteSpace(model.ProducerVersion));
        Assert.Contains(saved.Spec.ToString(), model.DocString, StringComparison.Ordinal);
        Assert.Contains("hidden layer 2: Gemm 8 -> 8, tanh", model.DocString, StringComparison.Ordinal);
        Assert.Contains("Classes: cat, dog, bird", model.DocString, StringComparison.Ordinal);
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("[\"cat\",\"dog\",\"bird\"]", metadata["backprop.classes"]);
        Assert.Equal("Standardize", metadata["backprop.input_scaling"]);

        // ONNX Runtime sees the same: what a consumer of the file reads.
        using var session = new InferenceSession(OnnxExporter.Export(saved));
        Assert.Equal("backprop", session.ModelMetadata.ProducerName);
        Assert.Equal("[\"cat\",\"dog\",\"bird\"]", session.ModelMetadata.CustomMetadataMap["backprop.classes"]);
    }

    [Fact]
    public void Inputs_and_outputs_should_have_the_documented_names_and_a_symbolic_batch_dimension()
    {
        var graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(SyntheticModels.Classifier(Activation.Relu))).Graph;

        var input = Assert.Single(graph.Input);
        Assert.Equal(OnnxNames.Input, input.Name);
        Assert.Equal((int)TensorProto.Types.DataType.Float, input.Type.TensorType.ElemType);
        Assert.Equal(OnnxNames.Batch, input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(5, input.Type.TensorType.Shape.Dim[1].DimValue);
        Assert.Equal([OnnxNames.Probabilities, OnnxNames.ClassIndex], graph.Output.Select(o => o.Name));
        Assert.Equal((int)TensorProto.Types.DataType.Int64, graph.Output[1].Type.TensorType.ElemType);
        Assert.All(graph.Output, o => Assert.Equal(OnnxNames.Batch, o.Type.TensorType.Shape.Dim[0].DimParam));
    }

    [Fact]
    public void An_attribute_of_zero_should_still_be_written()
    {
        // proto3 would drop keepdims = 0 from the wire, and ONNX Runtime rejects an INT attribute without a value.
        var graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(SyntheticModels.Classifier(Activation.Relu))).Graph;

        var keepdims = graph.Node.Single(n => n.OpType == "ArgMax").Attribute.Single(a => a.Name == "keepdims");
        Assert.True(keepdims.HasI);
        Assert.Equal(0, keepdims.I);
        Assert.Equal(AttributeProto.Types.AttributeType.Int, keepdims.Type);
    }

    [Fact]
    public void The_input_scaling_should_be_explicit_nodes_before_the_first_gemm()
    {
        var graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(SyntheticModels.Classifier(Activation.Relu))).Graph;

        Assert.Equal(["Sub", "Mul", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax"], graph.Node.Select(n => n.OpType));
        var offset = graph.Initializer.Single(t => t.Name == graph.Node[0].Input[1]);
        Assert.Equal([5L], offset.Dims);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5 }, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(offset.RawData.Span).ToArray());
    }

    [Fact]
    public void The_same_model_should_export_to_the_same_bytes()
    {
        // Two exports of two equal models built apart: nothing (a time, an id) may differ between them.
        byte[] first = OnnxExporter.Export(SyntheticModels.Classifier(Activation.Gelu));
        byte[] second = OnnxExporter.Export(SyntheticModels.Classifier(Activation.Gelu));

        Assert.Equal(first, second);
    }

    [Fact]
    public void An_activation_without_an_onnx_mapping_should_name_the_layer()
    {
        var saved = SyntheticModels.Classifier(Activation.Relu, new Activation((ActivationKind)42));

        var error = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(saved));

        Assert.Contains("hidden layer 2 (8 units)", error.Message, StringComparison.Ordinal);
        Assert.Contains("42", error.Message, StringComparison.Ordinal);
        Assert.Contains("no ONNX mapping", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OnnxExporterTests.EveryActivation), MemberType = typeof(OnnxExporterTests))]
    public void Every_activation_of_the_library_should_have_a_mapping(ActivationKind kind)
    {
        // Adding an activation to Numerics without a mapping here fails this test, not a user's export.
        var saved = SyntheticModels.Classifier(new Activation(kind));

        var exception = Record.Exception(() => OnnxExporter.Export(saved));

        Assert.Null(exception);
    }

    [Fact]
    public void Saving_should_write_the_file_whole_and_leave_no_temporary_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");

        OnnxExporter.Save(SyntheticModels.Classifier(Activation.Relu), path);

        Assert.Equal(OnnxExporter.Export(SyntheticModels.Classifier(Activation.Relu)), File.ReadAllBytes(path));
        Assert.Equal(["model.onnx"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }
}
