namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

public class TensorValidationTests
{
    [Fact]
    public void EarlyStoppingWithTensorTargetsHonoursMinDeltaAndRestoresTheBestWeights()
    {
        // x = (1, 2), y = 2x: with weight w the loss is (w − 2)²·mean(x²) = 2.5(w − 2)². The scripted steps give
        // w = 3, 2.5, 2.45, 2.44: validation losses 2.5, 0.625, 0.50625, 0.484. With MinDelta 0.2 only epoch 2
        // improves enough, so patience 2 runs out after epoch 4 and w goes back to 2.5.
        var data = new TensorDataset(TrainingData.Column(1, 2), TrainingData.Column(2, 4));
        var model = new Scale();
        var script = new ScriptedOptimizer(model.Parameters, [3.0, 2.5, 2.45, 2.44, 2.43, 2.42]);

        FitResult result = Trainer.Fit(
            model, script, data, TrainingData.Mse,
            new FitOptions { Epochs = 6, BatchSize = 2, Shuffle = false, Validation = data, Patience = 2, MinDelta = 0.2 });

        result.History.Select(r => r.ValidationLoss!.Value).Should().Equal(new[] { 2.5, 0.625, 0.50625, 0.484 }, (a, b) => Math.Abs(a - b) < 1e-12);
        result.History[0].TrainLoss.Should().Be(10, "epoch 1 is scored at w = 0 before its step: (2² + 4²) / 2");
        result.History.Should().OnlyContain(r => r.TrainAccuracy == null && r.ValidationAccuracy == null);
        result.BestEpoch.Should().Be(2);
        result.StoppedEarly.Should().BeTrue();
        model.Weight.Should().Be(2.5);
    }

    [Fact]
    public void TheValidationLossOfSeveralOutputsIsTheHeldOutSetsLoss()
    {
        double[,] x = TrainingData.Uniform(50, 3, seed: 11);
        var y = new double[50, 2];
        for (int i = 0; i < 50; i++)
        {
            y[i, 0] = x[i, 0] - x[i, 2];
            y[i, 1] = 0.5 * x[i, 1];
        }

        var (train, held) = new TensorDataset(Tensor.FromArray(x), Tensor.FromArray(y)).Split(0.2, seed: 1);
        var model = new Sequential(new Dense(3, 8, dtype: DType.Float64, seed: 1), new Tanh(), new Dense(8, 2, dtype: DType.Float64, seed: 2));
        FitResult result = Trainer.Fit(
            model, new Adam(model.Parameters, learningRate: 0.01), train, TrainingData.Mse,
            new FitOptions { Epochs = 30, BatchSize = 8, Validation = held });

        held.Count.Should().Be(10);
        result.History[^1].ValidationLoss.Should().Be(Trainer.Evaluate(model, held, TrainingData.Mse));
        result.History[^1].ValidationLoss.Should().BeLessThan(result.History[0].ValidationLoss!.Value);
    }

    [Fact]
    public void AValidationSetOfAnotherKindOrShapeIsRefused()
    {
        var model = new Scale();
        var optimizer = new GradientDescent(model.Parameters, 0.1);
        var data = new TensorDataset(TrainingData.Column(1, 2), TrainingData.Column(2, 4));

        var labels = () => Trainer.Fit(
            model, optimizer, data, TrainingData.Mse, new FitOptions { Validation = new Dataset(TrainingData.Column(1, 2), [0, 1]) });
        labels.Should().Throw<ArgumentException>()
            .WithMessage("Fit: the Validation set is a Dataset but the training set is a TensorDataset; give both the same kind of targets.*")
            .Which.ParamName.Should().Be("Validation");

        var tensors = () => Trainer.Fit(model, optimizer, new Dataset(TrainingData.Column(1, 2), [0, 1]), new FitOptions { Validation = data });
        tensors.Should().Throw<ArgumentException>()
            .WithMessage("Fit: the Validation set is a TensorDataset but the training set is a Dataset*");

        var wide = new TensorDataset(TrainingData.Column(1, 2), Tensor.Zeros([2, 3], DType.Float64));
        var shape = () => Trainer.Fit(model, optimizer, data, TrainingData.Mse, new FitOptions { Validation = wide });
        shape.Should().Throw<ArgumentException>()
            .WithMessage("Fit: the Validation targets [2,3] have rows shaped differently from the training targets [2,1].*")
            .Which.ParamName.Should().Be("Validation");

        var empty = new TensorDataset(Tensor.Zeros([0, 1], DType.Float64), Tensor.Zeros([0, 1], DType.Float64));
        var none = () => Trainer.Fit(model, optimizer, data, TrainingData.Mse, new FitOptions { Validation = empty });
        none.Should().Throw<ArgumentException>().WithMessage("Fit: the Validation set is empty (inputs [0,1])*");
    }
}
