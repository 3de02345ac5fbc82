namespace NeuralNet.Layers;

/// <summary>Modules applied one after another (PyTorch's <c>nn.Sequential</c>).</summary>
/// <remarks>Forward computes mₙ(…m₂(m₁(x))). Each module is registered under its index, so the parameters are
/// named "0.weight", "0.bias", "2.weight", … as in PyTorch.</remarks>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;

    /// <summary>Creates the chain.</summary>
    /// <param name="layers">The modules, first applied first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its modules is null.</exception>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null)
            {
                throw new ArgumentNullException(nameof(layers), $"Sequential: layer {i} is null.");
            }
        }

        _layers = (Module[])layers.Clone();
        for (int i = 0; i < _layers.Length; i++)
        {
            RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _layers[i]);
        }
    }

    /// <summary>The modules, in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>Feeds <paramref name="input"/> through every module in turn.</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            Tensor y = _layers[i].Call(x);

            // An activation between two layers is seen by nothing outside this call: during a training step its
            // buffer goes back to the pool when the tape is disposed (unless the next layer returned a view of it).
            if (i > 0 && !x.SharesValuesWith(y) && !x.SharesValuesWith(input))
            {
                Tape.Recycle(x);
            }

            x = y;
        }

        return x;
    }
}
