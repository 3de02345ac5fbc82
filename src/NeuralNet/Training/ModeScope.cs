using NeuralNet.Layers;

namespace NeuralNet.Training;

/// <summary>Puts a model back in the training or eval mode it had when the scope began.</summary>
internal readonly struct ModeScope(Module model) : IDisposable
{
    private readonly bool _wasTraining = model.IsTraining;

    public void Dispose() => model.Train(_wasTraining);
}
