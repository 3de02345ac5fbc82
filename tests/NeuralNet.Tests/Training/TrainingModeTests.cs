namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

/// <summary>Fit trains in training mode and validates in eval mode; both leave each module's mode as they found it.</summary>
public class TrainingModeTests
{
    private static readonly TensorDataset Data = new(TrainingData.Column(1, 2, 3, 4), TrainingData.Column(2, 4, 6, 8));

    [Fact]
    public void FitTrainsInTrainingModeAndValidatesInEvalMode()
    {
        var model = new ModeRecorder();
        model.Eval();
        Trainer.Fit(model, new Sgd(model.Parameters, 0.01), Data, TrainingData.Mse,
            new FitOptions { Epochs = 2, BatchSize = 2, Shuffle = false, Validation = Data });

        // Per epoch: two training batches, then one validation batch of all four rows.
        model.Modes.Should().Equal(true, true, false, true, true, false);
        model.IsTraining.Should().BeFalse("Fit restores the mode the model had");
    }

    [Fact]
    public void EvaluateRunsInEvalModeAndRestoresTrainingMode()
    {
        var model = new ModeRecorder();
        Trainer.Evaluate(model, Data, TrainingData.Mse);
        model.Modes.Should().Equal(false);
        model.IsTraining.Should().BeTrue();
    }

    [Fact]
    public void ASubmoduleFrozenInEvalModeIsFrozenAgainAfterFitAndEvaluate()
    {
        var model = new ModeRecorder();
        model.Scale.Eval();
        Trainer.Fit(model, new Sgd(model.Parameters, 0.01), Data, TrainingData.Mse, new FitOptions { Epochs = 1, BatchSize = 4 });
        (model.IsTraining, model.Scale.IsTraining).Should().Be((true, false));
        Trainer.Evaluate(model, Data, TrainingData.Mse);
        (model.IsTraining, model.Scale.IsTraining).Should().Be((true, false));
    }

    /// <summary>y = w·x, noting the mode of every forward pass.</summary>
    private sealed class ModeRecorder : Module
    {
        public ModeRecorder() => Scale = RegisterModule("scale", new Scale());

        public Scale Scale { get; }

        public List<bool> Modes { get; } = [];

        public override Tensor Forward(Tensor input)
        {
            Modes.Add(IsTraining);
            return Scale.Forward(input);
        }
    }
}
