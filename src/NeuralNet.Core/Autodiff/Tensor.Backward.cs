namespace NeuralNet;

// PyTorch's loss.backward(): the tape is the one the tensor was recorded on, so the caller need not name it.
public partial class Tensor
{
    /// <summary>
    /// Backpropagates from this tensor on the tape that recorded it and adds the gradient of every parameter that tape
    /// watches into <see cref="Parameter.Grad"/> (PyTorch's <c>loss.backward()</c>); the same as
    /// <see cref="Tape.Backward"/> on that tape.
    /// </summary>
    /// <param name="cotangent">The upstream gradient, of this tensor's shape; 1 for a scalar when omitted.</param>
    /// <param name="retainGraph">Let later backward passes run through the same recorded ops again (PyTorch's
    /// <c>retain_graph</c>).</param>
    /// <remarks>With nested tapes, the tape is the innermost one that recorded the tensor; call
    /// <see cref="Tape.Backward"/> on an outer tape to backpropagate there instead.</remarks>
    /// <exception cref="InvalidOperationException">No open tape recorded this tensor (it was computed outside a
    /// <see cref="Tape.Record"/> scope, from values no tape watches, or the tape was disposed), or an earlier backward
    /// pass without <paramref name="retainGraph"/> already went through its ops.</exception>
    /// <exception cref="ArgumentException">A non-scalar tensor without a cotangent, or a cotangent of the wrong shape.</exception>
    public void Backward(Tensor? cotangent = null, bool retainGraph = false)
    {
        for (Tensor? level = Dispatcher.Strip(this); level?.Level is { } owner; level = Dispatcher.Strip(level.Primal!))
        {
            if (owner.Tape is { } tape && level.Node is not null)
            {
                tape.Backward(this, cotangent, retainGraph);
                return;
            }
        }

        throw new InvalidOperationException(
            $"Backward: this {Shape} {DType} tensor was not recorded on an open tape. Compute it inside a Tape.Record() scope " +
            "from parameters or watched tensors, and call Backward before the tape is disposed.");
    }
}
