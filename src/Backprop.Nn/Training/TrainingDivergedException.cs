namespace Backprop.Nn.Training;

/// <summary>The loss became NaN or infinite: training stops before the step is applied.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>The error for a non-finite loss at a step.</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="step">The global step (1-based) whose loss was not finite.</param>
    /// <param name="loss">The loss value.</param>
    public TrainingDivergedException(int epoch, long step, double loss)
        : base($"The training loss became {loss} at epoch {epoch}, step {step}; the step was not applied. "
            + "Lower the learning rate, add gradient clipping (backprop.optimizer.clip-norm) or check the data for extreme values.")
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
    }

    /// <summary>Creates the error.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>The global step whose loss was not finite.</summary>
    public long Step { get; }

    /// <summary>The loss value.</summary>
    public double Loss { get; }
}
