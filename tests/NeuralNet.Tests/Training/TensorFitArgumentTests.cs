namespace NeuralNet.Tests.Training;

using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Optimizers;
using NeuralNet.Training;

public class TensorFitArgumentTests
{
    [Fact]
    public void TargetsNeedOneRowPerInputRow()
    {
        var rows = () => new TensorDataset(Tensor.Zeros([3, 2]), Tensor.Zeros([4, 1]));
        rows.Should().Throw<ArgumentException>()
            .WithMessage("TensorDataset: inputs [3,2] have 3 rows but targets [4,1] have 4; they need one target row per input row.*")
            .Which.ParamName.Should().Be("targets");

        var scalar = () => new TensorDataset(Tensor.Zeros([3, 2]), Tensor.Scalar(1.0));
        scalar.Should().Throw<ArgumentException>().WithMessage("TensorDataset: inputs [3,2] have 3 rows but targets [] have none*");

        var inputs = () => new TensorDataset(Tensor.Scalar(1.0), Tensor.Zeros([1]));
        inputs.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("inputs");
    }

    [Fact]
    public void ALossIsRequiredAndMustBeOneNumber()
    {
        var model = new Scale(initial: 1.0);
        var data = new TensorDataset(TrainingData.Column(1, 2), TrainingData.Column(2, 4));

        var missing = () => Trainer.Fit(model, new GradientDescent(model.Parameters, 0.1), data, loss: null!);
        missing.Should().Throw<ArgumentNullException>().WithMessage("Fit: tensor targets need a loss*").Which.ParamName.Should().Be("loss");
        var evaluate = () => Trainer.Evaluate(model, data, loss: null!);
        evaluate.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("loss");

        var perElement = () => Trainer.Fit(model, new GradientDescent(model.Parameters, 0.1), data, (p, t) => (p - t).Square());
        perElement.Should().Throw<ArgumentException>()
            .WithMessage("Fit: the loss of outputs [2,1] returned shape [2,1]; it must be one number*")
            .Which.ParamName.Should().Be("loss");
        model.Weight.Should().Be(1.0, "nothing steps when the first batch's loss is refused");
    }

    [Fact]
    public void AnEmptySetIsRefusedNamingItsShape()
    {
        var model = new Scale();
        var empty = new TensorDataset(Tensor.Zeros([0, 1], DType.Float64), Tensor.Zeros([0, 1], DType.Float64));
        var fit = () => Trainer.Fit(model, new GradientDescent(model.Parameters, 0.1), empty, TrainingData.Mse);
        fit.Should().Throw<ArgumentException>().WithMessage("Fit: the training set is empty (inputs [0,1])*").Which.ParamName.Should().Be("train");
        var evaluate = () => Trainer.Evaluate(model, empty, TrainingData.Mse);
        evaluate.Should().Throw<ArgumentException>().WithMessage("Evaluate: the data set is empty (inputs [0,1])*").Which.ParamName.Should().Be("data");
    }
}
