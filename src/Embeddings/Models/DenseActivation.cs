namespace Embeddings.Models;

/// <summary>The activation of a sentence-transformers Dense module (<c>activation_function</c>).</summary>
internal enum DenseActivation
{
    /// <summary><c>torch.nn.modules.linear.Identity</c>.</summary>
    Identity,

    /// <summary><c>torch.nn.modules.activation.Tanh</c> (sentence-transformers' default).</summary>
    Tanh,

    /// <summary><c>torch.nn.modules.activation.ReLU</c>.</summary>
    Relu,

    /// <summary><c>torch.nn.modules.activation.Sigmoid</c>.</summary>
    Sigmoid,

    /// <summary><c>torch.nn.modules.activation.GELU</c> (exact, erf-based).</summary>
    Gelu,
}
