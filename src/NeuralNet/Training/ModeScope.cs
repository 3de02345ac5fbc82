using NeuralNet.Layers;

namespace NeuralNet.Training;

/// <summary>
/// Puts every module of a model back in the training or eval mode it had when the scope began, each its own (a
/// submodule frozen with <c>Eval()</c> stays frozen after <c>Fit</c>, as in PyTorch Lightning).
/// </summary>
internal readonly struct ModeScope : IDisposable
{
    private readonly (Module Module, bool Training)[] _modes;

    public ModeScope(Module model) => _modes = [.. model.Modules.Select(m => (m, m.IsTraining))];

    public void Dispose()
    {
        foreach (var (module, training) in _modes)
        {
            module.Train(training);
        }
    }
}
