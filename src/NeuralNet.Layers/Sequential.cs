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
    /// <remarks>A <see cref="Dense"/> followed by a <see cref="ReLU"/> runs as one op (<see cref="Dense.ForwardRelu"/>):
    /// the same values and derivatives, with no pass, tensor or tape node for the activation. Not while a
    /// <see cref="Module.Summary"/> is taken, which shows each module's own output, nor under
    /// <see cref="Autodiff.DetectAnomalies"/>, which must see the Dense's own output (an overflow to −∞ is 0 after the
    /// ReLU).</remarks>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        bool fuse = !ModuleSummary.IsRecording && !AnomalyMode.IsEnabled;
        for (int i = 0; i < _layers.Length; i++)
        {
            Tensor y;
            if (fuse && _layers[i] is Dense dense && i + 1 < _layers.Length && _layers[i + 1] is ReLU)
            {
                y = dense.ForwardRelu(x);
                i++;
            }
            else
            {
                y = _layers[i].Call(x);
            }

            // An activation between two layers is seen by nothing outside this call: during a training step its
            // buffer goes back to the pool when the tape is disposed (unless the next layer returned a view of it).
            if (!ReferenceEquals(x, input) && !x.SharesValuesWith(y) && !x.SharesValuesWith(input))
            {
                Tape.Recycle(x);
            }

            x = y;
        }

        return x;
    }
}
