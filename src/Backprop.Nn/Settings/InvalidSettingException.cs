namespace Backprop.Nn.Settings;

/// <summary>A setting that cannot be used, named by its configuration key path.</summary>
public sealed class InvalidSettingException : Exception
{
    /// <summary>Creates the error for <paramref name="keyPath"/>.</summary>
    /// <param name="keyPath">The configuration key, e.g. <c>backprop.training.batch-size</c>.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    public InvalidSettingException(string keyPath, string problem)
        : base($"{keyPath}: {problem}")
    {
        KeyPath = keyPath;
        Problem = problem;
    }

    /// <summary>Creates the error with no key.</summary>
    public InvalidSettingException()
        : this("backprop", "invalid setting")
    {
    }

    /// <summary>Creates the error with no key.</summary>
    /// <param name="message">The message.</param>
    public InvalidSettingException(string message)
        : this("backprop", message)
    {
    }

    /// <summary>Creates the error with no key.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidSettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        KeyPath = "backprop";
        Problem = message;
    }

    /// <summary>The configuration key at fault.</summary>
    public string KeyPath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
