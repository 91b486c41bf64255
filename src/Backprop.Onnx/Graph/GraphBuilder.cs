using Backprop.Onnx.Schema;

namespace Backprop.Onnx.Graph;

/// <summary>
/// Builds one <see cref="GraphProto"/> in topological order: each node is added after the nodes that make its
/// inputs, which is the order ONNX requires. Every value name is checked to be new, so a mapping that reuses
/// a name fails here instead of producing a graph that a runtime rejects with a vaguer message.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>An empty graph.</summary>
    /// <param name="name">The graph's name.</param>
    /// <param name="docString">What the graph computes, for people reading it in a viewer.</param>
    public GraphBuilder(string name, string docString)
    {
        _graph = new GraphProto { Name = name, DocString = docString };
    }

    /// <summary>Declares a graph input.</summary>
    /// <param name="input">Its name and type.</param>
    public void AddInput(ValueInfoProto input)
    {
        Claim(input.Name);
        _graph.Input.Add(input);
    }

    /// <summary>Declares a graph output; a node must produce a value of that name.</summary>
    /// <param name="output">Its name and type.</param>
    public void AddOutput(ValueInfoProto output) => _graph.Output.Add(output);

    /// <summary>Adds a constant float tensor (an initializer) and returns its name.</summary>
    /// <param name="name">A new value name.</param>
    /// <param name="values">The values, row-major.</param>
    /// <param name="dims">The shape; its product is the number of values.</param>
    public string AddConstant(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        Claim(name);
        _graph.Initializer.Add(Tensors.Floats(name, values, dims));
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>Gemm</c>.</param>
    /// <param name="output">A new value name for the node's output; the node is named after it.</param>
    /// <param name="inputs">The names of its inputs, in the operator's order.</param>
    /// <param name="attributes">Its attributes.</param>
    public string AddNode(string opType, string output, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
    {
        foreach (string input in inputs)
        {
            if (!_names.Contains(input))
            {
                throw new InvalidOperationException($"The {opType} node making '{output}' reads '{input}', which no earlier node or input defines.");
            }
        }

        Claim(output);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>The graph built so far.</summary>
    public GraphProto Build() => _graph;

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The value name '{name}' is used twice in the graph.");
        }
    }
}
