namespace Backprop.Nn.Optimizers;

/// <summary>The update rules, each as PyTorch's <c>torch.optim</c> defines it.</summary>
public enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,

    /// <summary>SGD with (heavy-ball) momentum.</summary>
    Momentum,

    /// <summary>SGD with Nesterov momentum.</summary>
    Nesterov,

    /// <summary>Adam, with L2 weight decay added to the gradient.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,

    /// <summary>RMSProp.</summary>
    RmsProp,

    /// <summary>AdaGrad.</summary>
    AdaGrad,
}
