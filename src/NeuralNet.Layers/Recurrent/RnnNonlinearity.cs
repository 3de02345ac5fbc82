namespace NeuralNet.Layers;

/// <summary>The activation of an Elman <see cref="RNN"/>'s hidden state (PyTorch's <c>nonlinearity</c> argument).</summary>
public enum RnnNonlinearity
{
    /// <summary>h' = tanh(W_ih x + b_ih + W_hh h + b_hh), PyTorch's default.</summary>
    Tanh,

    /// <summary>h' = max(0, W_ih x + b_ih + W_hh h + b_hh).</summary>
    Relu,
}
