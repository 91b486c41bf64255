using System.Collections.Frozen;

namespace Backprop.Cluster.Configuration;

/// <summary>
/// The keys of the <c>backprop</c> section, in the order <c>reference.conf</c> and <see cref="SettingsWriter"/>
/// list them: what the unknown-key check accepts and suggests from.
/// </summary>
internal static class KeySchema
{
    /// <summary>The section every training setting lives under.</summary>
    public const string Root = "backprop";

    /// <summary>The list of hidden-layer objects.</summary>
    public const string Layers = "backprop.model.layers";

    /// <summary>The keys of one hidden-layer object.</summary>
    public static IReadOnlyList<string> LayerKeys { get; } =
        ["units", "activation", "slope", "dropout", "init", "init-scale", "bias"];

    /// <summary>
    /// Sections under <c>backprop</c> that other parts of the product read and check (the cluster's own
    /// settings), so the training settings neither read nor reject them.
    /// </summary>
    public static IReadOnlyList<string> ReadElsewhere { get; } = ["cluster"];

    /// <summary>Each section's path and its keys; a key is itself a section when its path is a key here.</summary>
    public static FrozenDictionary<string, IReadOnlyList<string>> Sections { get; } =
        new Dictionary<string, IReadOnlyList<string>>
        {
            [Root] = ["data", "model", "optimizer", "schedule", "training"],
            ["backprop.data"] = ["path", "test-path", "target", "test-split", "scaling", "task", "max-classes"],
            ["backprop.model"] = ["layers", "inputs", "outputs", "loss", "output-init"],
            ["backprop.optimizer"] =
                ["name", "learning-rate", "momentum", "beta1", "beta2", "epsilon", "alpha", "weight-decay", "clip-norm"],
            ["backprop.schedule"] = ["name", "step-epochs", "gamma", "min-learning-rate", "warmup-steps"],
            ["backprop.training"] =
            [
                "epochs", "batch-size", "seed", "validation-split", "checkpoint-every", "threads", "init-from",
                "freeze-layers", "replace-output", "early-stopping",
            ],
            ["backprop.training.early-stopping"] = ["metric", "patience", "min-delta", "restore-best"],
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every key under <c>backprop</c>, sections included, as a full path, in schema order.</summary>
    public static IEnumerable<string> AllPaths()
    {
        return Walk(Root);

        static IEnumerable<string> Walk(string section)
        {
            foreach (string key in Sections[section])
            {
                string path = section + "." + key;
                yield return path;
                if (Sections.ContainsKey(path))
                {
                    foreach (string inner in Walk(path))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    /// <summary>Every key that holds a value (not a section), as a full path, in schema order.</summary>
    public static IEnumerable<string> ValuePaths() => AllPaths().Where(path => !Sections.ContainsKey(path));
}
