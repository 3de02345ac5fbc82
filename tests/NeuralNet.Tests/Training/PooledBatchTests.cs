namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Training;

public class PooledBatchTests
{
    [Fact]
    public void ABatchsInputsAndTargetsGoBackToThePoolWithTheStepsTape()
    {
        // Batches of 100 rows × 2 doubles (1600 bytes) are pooled: a loss that keeps them past the step finds them
        // released, with the reason, instead of silently reading the next batch's values.
        double[,] x = TrainingData.Uniform(200, 2, seed: 5);
        var data = new TensorDataset(Tensor.FromArray(x), Tensor.FromArray(x));
        var model = new Dense(2, 2, dtype: DType.Float64, seed: 1);
        Tensor? inputs = null, targets = null;
        var keeper = new Keeper(model, kept => inputs = kept);

        Trainer.Fit(keeper, new Sgd(model.Parameters, 0.1), data, (p, t) =>
        {
            targets = t;
            return TrainingData.Mse(p, t);
        }, new FitOptions { Epochs = 1, BatchSize = 100 });

        var readTargets = () => targets!.ToArray<double>();
        readTargets.Should().Throw<ObjectDisposedException>().WithMessage("*a batch Trainer.Fit gathered*");
        var readInputs = () => inputs!.ToArray<double>();
        readInputs.Should().Throw<ObjectDisposedException>().WithMessage("*a batch Trainer.Fit gathered*");
    }

    /// <summary>Runs <paramref name="inner"/>, handing each input to <paramref name="keep"/> first.</summary>
    private sealed class Keeper : Module
    {
        private readonly Module _inner;
        private readonly Action<Tensor> _keep;

        public Keeper(Module inner, Action<Tensor> keep)
        {
            _inner = RegisterModule("inner", inner);
            _keep = keep;
        }

        public override Tensor Forward(Tensor input)
        {
            _keep(input);
            return _inner.Forward(input);
        }
    }
}
